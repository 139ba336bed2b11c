//! The site header: brand, the pages of the app, the theme toggle.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use super::auth_forms::LogoutButton;
use super::theme::{Theme, ThemeToggle};
use crate::accounts::{api::whoami, types::Role};

const LINKS: &[(&str, &str)] = &[
    ("/questions", "Questions"),
    ("/practice/new", "Practice"),
    ("/review", "Review"),
    ("/history", "History"),
    ("/dashboard", "Dashboard"),
];

#[component]
pub fn Nav(theme: Theme) -> impl IntoView {
    let path = use_location().pathname.get_untracked();
    let here = path.clone();
    let current =
        move |href: &str| (path == href || path.starts_with(&format!("{href}/"))).then_some("page");
    let in_sets = current("/sets");

    view! {
        <header class="site-header">
            <nav class="container nav" aria-label="Main">
                <a class="brand" href="/">"Rehearse"</a>
                <ul class="nav-links">
                    {LINKS
                        .iter()
                        .map(|(href, label)| {
                            view! { <li><a href=*href aria-current=current(href)>{*label}</a></li> }
                        })
                        .collect_view()}
                    // Sets are the recruiters' workshop: only they see the link.
                    {move || Suspend::new(async move {
                        // Its own lookup: one OnceResource awaited by two
                        // Suspends sometimes never woke the second one during
                        // server rendering, stalling the page.
                        whoami().await.ok().flatten()
                            .filter(|u| !u.is_guest && matches!(u.role, Role::Recruiter | Role::Admin))
                            .map(|_| view! { <li><a href="/sets" aria-current=in_sets data-testid="nav-sets">"Sets"</a></li> })
                    })}
                </ul>
                <div class="nav-end">
                    {move || { let here = here.clone(); Suspend::new(async move {
                        let current = |href: &str| (here == href).then_some("page");
                        match whoami().await.ok().flatten().filter(|u| !u.is_guest) {
                            Some(user) => view! {
                                <a href="/account" class="nav-login" data-testid="nav-user"
                                    aria-current=current("/account")>{user.username}</a>
                                <LogoutButton/>
                            }.into_any(),
                            None => view! {
                                <a href="/login" class="nav-login" aria-current=current("/login")>"Log in"</a>
                                <a href="/register" class="nav-login" aria-current=current("/register")>"Register"</a>
                            }.into_any(),
                        }
                    })}}
                    <ThemeToggle initial=theme/>
                </div>
            </nav>
        </header>
    }
}
