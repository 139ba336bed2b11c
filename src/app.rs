//! The HTML shell, the app frame and the whole route table.
//!
//! Rehearse renders every page on the server and hydrates only the islands
//! (`#[island]` components): the bank, history and dashboard pages are
//! read-mostly, so the browser downloads code only for what is interactive.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

use crate::components::{
    hydration::HydrationMarker,
    nav::Nav,
    page_script::{self, page_needs_wasm, PageScript, Wasm},
    theme::Theme,
};
use crate::pages;

/// The document around every page. Runs on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let theme = Theme::from_request();
    let wasm = needs_wasm();
    provide_context(Wasm(wasm));
    view! {
        <!DOCTYPE html>
        <html lang="en" data-theme=theme.as_str()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light dark"/>
                <meta name="description" content="Rehearse: practise backend interviews with a timer, reference answers and honest self-grading."/>
                <HashedStylesheet options=options.clone() id="leptos"/>
                <link rel="icon" href="/favicon.ico"/>
                {wasm.then(|| view! { <HydrationScripts options islands=true/> })}
                <leptos_meta::MetaTags/>
            </head>
            // Without WASM the page is as live as it will get once loaded.
            <body data-hydrated=(!wasm).then_some("true")>
                <App/>
                <PageScript/>
            </body>
        </html>
    }
}

/// Whether the request being rendered gets the WASM (server side).
fn needs_wasm() -> bool {
    #[cfg(feature = "ssr")]
    {
        let Some(parts) = use_context::<http::request::Parts>() else {
            return true;
        };
        let logged_in = use_context::<crate::platform::AppState>().is_none_or(|state| {
            crate::accounts::session::token_from_headers(
                &parts.headers,
                state.config.session_cookie_name(),
            )
            .is_some()
        });
        page_needs_wasm(parts.uri.path(), logged_in)
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = page_needs_wasm;
        true
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let theme = Theme::from_request();
    view! {
        <Title formatter=|page: String| {
            if page.is_empty() { "Rehearse".to_owned() } else { format!("{page} · Rehearse") }
        }/>
        <a class="skip-link" href="#main">"Skip to content"</a>
        <Router>
            <Nav theme/>
            <main id="main" class="container">
                <Routes fallback=pages::not_found::NotFound>
                    <Route path=path!("/") view=pages::home::HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/questions") view=pages::questions::QuestionsPage ssr=SsrMode::Async/>
                    <Route path=path!("/questions/:slug") view=pages::question::QuestionPage ssr=SsrMode::Async/>
                    <Route path=path!("/practice/new") view=pages::practice::NewSessionPage ssr=SsrMode::Async/>
                    <Route path=path!("/practice/:id") view=pages::practice::RunSessionPage ssr=SsrMode::Async/>
                    <Route path=path!("/practice/:id/summary") view=pages::practice::SummaryPage ssr=SsrMode::Async/>
                    <Route path=path!("/history") view=pages::history::HistoryPage ssr=SsrMode::Async/>
                    <Route path=path!("/history/:id") view=pages::history::HistoryDetailPage ssr=SsrMode::Async/>
                    <Route path=path!("/dashboard") view=pages::dashboard::DashboardPage ssr=SsrMode::Async/>
                    <Route path=path!("/review") view=pages::spaced_review::ReviewQueuePage ssr=SsrMode::Async/>
                    <Route path=path!("/sets") view=pages::sets::SetsPage ssr=SsrMode::Async/>
                    <Route path=path!("/sets/questions") view=pages::sets::OwnQuestionsPage ssr=SsrMode::Async/>
                    <Route path=path!("/sets/questions/new") view=pages::sets::QuestionEditorPage ssr=SsrMode::Async/>
                    <Route path=path!("/sets/questions/:slug") view=pages::sets::QuestionEditorPage ssr=SsrMode::Async/>
                    <Route path=path!("/sets/import") view=pages::sets::ImportPage ssr=SsrMode::Async/>
                    <Route path=path!("/sets/:id") view=pages::sets::SetEditorPage ssr=SsrMode::Async/>
                    <Route path=path!("/sets/:id/results") view=pages::results::ResultsPage ssr=SsrMode::Async/>
                    <Route path=path!("/sets/:id/results/compare") view=pages::results::ComparePage ssr=SsrMode::Async/>
                    <Route path=path!("/sets/:id/results/:candidate") view=pages::results::CandidatePage ssr=SsrMode::Async/>
                    <Route path=path!("/s/:code") view=pages::results::SharePage ssr=SsrMode::Async/>
                    <Route path=path!("/team") view=pages::team::TeamPage ssr=SsrMode::Async/>
                    <Route path=path!("/join/:code") view=pages::team::JoinPage ssr=SsrMode::Async/>
                    <Route path=path!("/login") view=pages::login::LoginPage ssr=SsrMode::Async/>
                    <Route path=path!("/register") view=pages::login::RegisterPage ssr=SsrMode::Async/>
                    <Route path=path!("/account") view=pages::account::AccountPage ssr=SsrMode::Async/>
                </Routes>
            </main>
            <footer class="site-footer container">
                <p>"Rehearse — practise out loud, grade yourself honestly, come back tomorrow."</p>
            </footer>
            // Last, so it goes live only after every island above it: the
            // islands script hydrates them in document order, each lazy one
            // once its own module has loaded.
            {page_script::wasm().then(|| view! { <HydrationMarker/> })}
        </Router>
    }
}
