//! `/account`: password, data export, account deletion.

use leptos::prelude::*;
use leptos_meta::Title;

use super::login::redirect;
use crate::accounts::api::{account_settings, whoami, Settings};
use crate::components::auth_forms::{ChangePasswordForm, DeleteAccountForm, SettingsForm};

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
