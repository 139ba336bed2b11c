//! The account forms. Islands: they call server functions and move on to
//! the next page when the server says yes.

use leptos::form::ActionForm;
use leptos::prelude::*;

use super::navigate::go_to;

use crate::accounts::api::{ChangePassword, DeleteAccount, Login, Logout, Register};
use crate::dashboard::api::SaveSettings;
use crate::error::AppError;

fn error_view(error: Option<AppError>) -> impl IntoView {
    error.map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })
}

#[island]
pub fn LoginForm(next: String) -> impl IntoView {
    let action = ServerAction::<Login>::new();
    let value = action.value();
    Effect::new(move |_| {
        if let Some(Ok(target)) = value.get() {
            go_to(&target);
        }
    });
    view! {
        <ActionForm action attr:class="stack-form" attr:aria-label="Log in">
            <input type="hidden" name="next" value=next/>
            <label>"Username"
                <input name="username" autocomplete="username" required maxlength="32" autofocus/>
            </label>
            <label>"Password"
                <input type="password" name="password" autocomplete="current-password" required maxlength="512"/>
            </label>
            {move || error_view(value.get().and_then(Result::err))}
            <button type="submit" class="button primary" disabled=move || action.pending().get()>
                {move || if action.pending().get() { "Logging in…" } else { "Log in" }}
            </button>
        </ActionForm>
    }
}

#[island]
pub fn RegisterForm(next: String, is_guest: bool, recruiters: bool) -> impl IntoView {
    let action = ServerAction::<Register>::new();
    let value = action.value();
    Effect::new(move |_| {
        if let Some(Ok(target)) = value.get() {
            go_to(&target);
        }
    });
    view! {
        <ActionForm action attr:class="stack-form" attr:aria-label="Create an account">
            <input type="hidden" name="next" value=next/>
            {is_guest.then(|| view! {
                <p class="note">"You have been practising as a guest. Everything you did so far moves into your new account."</p>
            })}
            <label>"Username"
                <input name="username" autocomplete="username" required minlength="3" maxlength="32"
                    pattern="[A-Za-z0-9_.\\-]{3,32}" aria-describedby="username-help" autofocus/>
                <small id="username-help">"3 to 32 letters, digits, '_', '-' or '.'"</small>
            </label>
            <label>"Password"
                <input type="password" name="password" autocomplete="new-password" required minlength="8" maxlength="128"
                    aria-describedby="password-help"/>
                <small id="password-help">"At least 8 characters. A few unrelated words make a strong password."</small>
            </label>
            {if recruiters {
                view! {
                    <fieldset class="role-choice">
                        <legend>"I am here to"</legend>
                        <label class="check"><input type="radio" name="role" value="candidate" checked/>" practise for interviews"</label>
                        <label class="check"><input type="radio" name="role" value="recruiter"/>" build question sets for candidates (recruiter)"</label>
                    </fieldset>
                }.into_any()
            } else {
                view! {
                    <input type="hidden" name="role" value="candidate"/>
                    <p class="note">"Hiring on this server? Register here, then open the invitation link your team sent you."</p>
                }.into_any()
            }}
            {move || error_view(value.get().and_then(Result::err))}
            <button type="submit" class="button primary" disabled=move || action.pending().get()>
                {move || if action.pending().get() { "Creating…" } else { "Create account" }}
            </button>
        </ActionForm>
    }
}

/// "Log out", in the nav of every signed-in page: a plain form post, not an
/// island, so a page needs no WASM for it. `logout` answers with a
/// redirect home.
#[component]
pub fn LogoutButton() -> impl IntoView {
    view! {
        <form method="post" action={<Logout as leptos::server_fn::ServerFn>::PATH} class="inline-form">
            <button type="submit" class="link-button">"Log out"</button>
        </form>
    }
}

#[island]
pub fn ChangePasswordForm() -> impl IntoView {
    let action = ServerAction::<ChangePassword>::new();
    let value = action.value();
    view! {
        <ActionForm action attr:class="stack-form" attr:aria-label="Change password">
            <label>"Current password"
                <input type="password" name="current" autocomplete="current-password" required maxlength="512"/>
            </label>
            <label>"New password"
                <input type="password" name="new_password" autocomplete="new-password" required minlength="8" maxlength="128"/>
            </label>
            {move || match value.get() {
                Some(Ok(())) => Some(view! { <p class="form-ok" role="status">"Password changed. Other devices have been logged out."</p> }.into_any()),
                Some(Err(e)) => Some(error_view(Some(e)).into_any()),
                None => None,
            }}
            <button type="submit" class="button" disabled=move || action.pending().get()>"Change password"</button>
        </ActionForm>
    }
}

#[island]
pub fn DeleteAccountForm() -> impl IntoView {
    let action = ServerAction::<DeleteAccount>::new();
    let value = action.value();
    Effect::new(move |_| {
        if let Some(Ok(())) = value.get() {
            go_to("/?deleted=1");
        }
    });
    view! {
        <ActionForm action attr:class="stack-form danger-zone" attr:aria-label="Delete account">
            <label>"Your password, to confirm"
                <input type="password" name="password" autocomplete="current-password" required maxlength="512"/>
            </label>
            {move || error_view(value.get().and_then(Result::err))}
            <button type="submit" class="button danger" disabled=move || action.pending().get()>
                "Delete my account and all my data"
            </button>
        </ActionForm>
    }
}

/// Time zone and streak settings. The fields come in as server-rendered
/// children, so the long zone list never travels as island props.
#[island]
pub fn SettingsForm(children: Children) -> impl IntoView {
    let action = ServerAction::<SaveSettings>::new();
    let value = action.value();
    view! {
        <ActionForm action attr:class="stack-form" attr:aria-label="Settings">
            {children()}
            {move || match value.get() {
                Some(Ok(())) => Some(view! { <p class="form-ok" role="status">"Settings saved."</p> }.into_any()),
                Some(Err(e)) => Some(error_view(Some(e)).into_any()),
                None => None,
            }}
            <button type="submit" class="button" disabled=move || action.pending().get()>"Save settings"</button>
        </ActionForm>
    }
}
