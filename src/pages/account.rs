//! `/account`: password, data export, account deletion.

use leptos::prelude::*;
use leptos_meta::Title;

use super::login::redirect;
use crate::accounts::api::whoami;
use crate::components::auth_forms::{ChangePasswordForm, DeleteAccountForm, SettingsForm};
use crate::components::spaced_review::ReviewSettingsForm;
use crate::dashboard::api::{account_settings, Settings};
use crate::grading::api::get_review_settings;
use crate::grading::types::{
    retention_help, ReviewSettings, MAX_NEW_PER_DAY, MAX_REVIEWS_PER_DAY, MAX_REVIEW_MINUTES,
    RETENTION,
};

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
                {settings_panel(account_settings().await.ok())}
                {review_settings_panel(get_review_settings().await.ok())}
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
                    <DeleteAccountForm/>
                </section>
            }.into_any()
        })}
    }
}

fn settings_panel(settings: Option<Settings>) -> impl IntoView {
    settings.map(|s| {
        let current = s.time_zone.clone();
        view! {
            <section class="panel">
                <h2>"Settings"</h2>
                <SettingsForm>
                    <label>"Time zone"
                        <select name="time_zone" aria-describedby="tz-help">
                            {s.zones.into_iter().map(|z| {
                                let selected = z == current;
                                let label = z.clone();
                                view! { <option value=z selected=selected>{label}</option> }
                            }).collect_view()}
                        </select>
                        <small id="tz-help">"Your dashboard counts days, streaks and date ranges in this zone."</small>
                    </label>
                    <label class="check">
                        <input type="checkbox" name="hide_streaks" value="on" checked=s.hide_streaks/>
                        " Hide streaks on my dashboard"
                    </label>
                </SettingsForm>
            </section>
        }
    })
}

fn review_settings_panel(settings: Option<ReviewSettings>) -> impl IntoView {
    settings.map(|s| {
        view! {
            <section class="panel" id="review-settings" data-testid="review-settings">
                <h2>"Spaced review"</h2>
                <ReviewSettingsForm>
                    <label>"Desired retention"
                        <input type="number" name="desired_retention" min=RETENTION.0 max=RETENTION.1 step="0.01"
                            value=format!("{:.2}", s.desired_retention) required aria-describedby="retention-help"/>
                        <small id="retention-help">{retention_help()}</small>
                    </label>
                    <label>"New questions a day"
                        <input type="number" name="new_per_day" min="0" max=MAX_NEW_PER_DAY value=s.new_per_day required/>
                    </label>
                    <label>"Reviews a day, at most"
                        <input type="number" name="reviews_per_day" min="1" max=MAX_REVIEWS_PER_DAY value=s.reviews_per_day required
                            aria-describedby="reviews-help"/>
                        <small id="reviews-help">"After time away, the queue shows at most this many, most overdue first."</small>
                    </label>
                    <label>"Minutes per review question " <span class="muted">"(0 = untimed)"</span>
                        <input type="number" name="per_question_minutes" min="0" max=MAX_REVIEW_MINUTES
                            value=s.per_question_secs.map_or(0, |secs| secs / 60) required/>
                    </label>
                    <label class="check">
                        <input type="checkbox" name="practice_without_schedule" value="on" checked=!s.practice_schedules/>
                        " Practise without touching my schedule (grades in practice sessions don't move reviews; interviews and reviews still do)"
                    </label>
                </ReviewSettingsForm>
            </section>
        }
    })
}
