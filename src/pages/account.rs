//! `/account`: password, data export, account deletion.

use leptos::prelude::*;
use leptos_meta::Title;

use super::login::redirect;
use crate::accounts::api::whoami;
use crate::components::auth_forms::{ChangePasswordForm, DeleteAccountForm};

#[component]
pub fn AccountPage() -> impl IntoView {
    view! {
        <Title text="Your account"/>
        {move || Suspend::new(async move {
            let Ok(Some(user)) = whoami().await else {
                redirect("/login?next=/account");
                return view! { <p>"Please "<a href="/login?next=/account">"log in"</a>"."</p> }.into_any();
            };
            if user.is_guest {
                redirect("/register?next=/account");
            }
            view! {
                <h1>"Your account"</h1>
                <section class="panel">
                    <p data-testid="account-summary">"Logged in as "<strong>{user.username.clone()}</strong>
                        " · "{user.role.label()}</p>
                </section>
                <section class="panel">
                    <h2>"Change password"</h2>
                    <ChangePasswordForm/>
                </section>
                <section class="panel">
                    <h2>"Your data"</h2>
                    <p>"Download everything Rehearse stores about you (sessions, answers, grades, notes, question sets) as one JSON file."</p>
                    <p><a class="button" href="/account/export" download>"Download my data"</a></p>
                </section>
                <section class="panel">
                    <h2>"Delete account"</h2>
                    <p>"This removes your account and everything in it, immediately and for good. Download your data first if you want a copy."</p>
                    <DeleteAccountForm username=user.username.clone()/>
                </section>
            }.into_any()
        })}
    }
}
