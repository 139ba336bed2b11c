//! `/login` and `/register`.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::accounts::{api::whoami, types::safe_next};
use crate::components::auth_forms::{LoginForm, RegisterForm};

/// Whether the register form offers the recruiter role
/// (`REHEARSE_RECRUITER_SIGNUP`): read on the server, sent in the page.
fn recruiters_may_register() -> bool {
    #[cfg(feature = "ssr")]
    {
        crate::platform::app_state().map_or(true, |s| {
            s.config.recruiter_signup == crate::platform::config::RecruiterSignup::Open
        })
    }
    #[cfg(not(feature = "ssr"))]
    {
        true
    }
}

fn next_param() -> String {
    safe_next(
        &use_query_map()
            .get_untracked()
            .get("next")
            .unwrap_or_else(|| "/".into()),
    )
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let next = next_param();
    let register_href = format!(
        "/register?next={}",
        crate::questions::types::encode_component(&next)
    );
    view! {
        <Title text="Log in"/>
        {move || {
            let (next, register_href) = (next.clone(), register_href.clone());
            Suspend::new(async move {
                if let Ok(Some(user)) = whoami().await {
                    if !user.is_guest {
                        redirect(&next);
                    }
                }
                view! {
                    <section class="panel auth-panel">
                        <h1>"Log in"</h1>
                        <LoginForm next/>
                        <p class="muted">"New here? "<a href=register_href>"Create an account"</a>
                            " — or just "<a href="/questions">"browse the questions"</a>" first."</p>
                    </section>
                }
            })
        }}
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let next = next_param();
    view! {
        <Title text="Create an account"/>
        {move || {
            let next = next.clone();
            Suspend::new(async move {
                let me = whoami().await.ok().flatten();
                if me.as_ref().is_some_and(|u| !u.is_guest) {
                    redirect(&next);
                }
                let is_guest = me.is_some_and(|u| u.is_guest);
                let recruiters = recruiters_may_register();
                view! {
                    <section class="panel auth-panel">
                        <h1>"Create an account"</h1>
                        <RegisterForm next is_guest recruiters/>
                        <p class="muted">"Already have one? "<a href="/login">"Log in"</a></p>
                    </section>
                }
            })
        }}
    }
}

/// Sends the browser elsewhere (server-side render only). Every redirect
/// the app makes goes through here, so `path` is made header-safe once.
pub fn redirect(path: &str) {
    #[cfg(feature = "ssr")]
    crate::platform::request::redirect(path);
    #[cfg(not(feature = "ssr"))]
    let _ = path;
}
