use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFound() -> impl IntoView {
    super::error::set_status(404);
    view! {
        <Title text="Page not found"/>
        <section class="panel empty-state" data-testid="not-found">
            <h1>"Page not found"</h1>
            <p class="lead">"There is nothing at this address. It may have moved, or the link may have a typo."</p>
            <p><a class="button" href="/">"Go to the start page"</a>" or "<a href="/questions">"browse the questions"</a>"."</p>
        </section>
    }
}
