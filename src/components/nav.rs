//! The site header: brand, the pages of the app, the theme toggle.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use super::auth_forms::LogoutButton;
use super::theme::{Theme, ThemeToggle};
use crate::accounts::{api::whoami, types::UserInfo};
use crate::teams::types::{summaries, TeamSummary};

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
                    // Sets are the workshop of a team's owners and recruiters:
                    // only they see the link.
                    {move || Suspend::new(async move {
                        // Its own lookup: one OnceResource awaited by two
                        // Suspends sometimes never woke the second one during
                        // server rendering, stalling the page.
                        whoami().await.ok().flatten()
                            .and_then(|u| u.teams.first().map(|t| t.role.builds_sets()))
                            .filter(|builds| *builds)
                            .map(|_| view! { <li><a href="/sets" aria-current=in_sets data-testid="nav-sets">"Sets"</a></li> })
                    })}
                </ul>
                <div class="nav-end">
                    {move || { let here = here.clone(); Suspend::new(async move {
                        let current = |href: &str| (here == href).then_some("page");
                        match whoami().await.ok().flatten().filter(|u| !u.is_guest) {
                            Some(user) => view! {
                                {team_link(&user, current("/team"))}
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

/// The team the person acts for (every member sees its page), and the
/// switcher when they are in more than one.
fn team_link(user: &UserInfo, here: Option<&'static str>) -> impl IntoView {
    let teams = summaries(user);
    let acting = teams.iter().find(|t| t.current).cloned();
    acting.map(|team| {
        view! {
            <span class="nav-team">
                <a href="/team" class="nav-login" aria-current=here data-testid="nav-team"
                    title=format!("Acting for {} ({})", team.name, team.role.label().to_lowercase())>
                    {team.name.clone()}
                </a>
                {(teams.len() > 1).then(|| team_switcher(teams))}
            </span>
        }
    })
}

/// The teams to act for, as a plain form post (no WASM needed): a select
/// beside the current team's name, and a button to switch.
fn team_switcher(teams: Vec<TeamSummary>) -> impl IntoView {
    view! {
        <form class="team-switch" method="post" action="/api/teams/switch">
            <select name="team" aria-label="Team to act for" data-testid="team-select">
                {teams.into_iter().map(|t| view! {
                    <option value=t.id selected=t.current>{t.name}</option>
                }).collect_view()}
            </select>
            <button type="submit" class="link-button" data-testid="switch-team">"Switch"</button>
        </form>
    }
}
