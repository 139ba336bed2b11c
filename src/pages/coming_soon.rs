use leptos::prelude::*;
use leptos_meta::Title;

/// A page on the map that isn't built yet: says so plainly, links onward.
pub fn coming_soon(title: &'static str) -> impl IntoView {
    view! {
        <Title text=title/>
        <section class="panel empty-state">
            <h1>{title}</h1>
            <p class="lead">"This part of Rehearse is being built and isn't available yet."</p>
            <p>"Meanwhile, browse the "<a href="/questions">"question bank"</a>
               " and reveal reference answers to check what you know."</p>
        </section>
    }
}
