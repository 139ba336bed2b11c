//! `/team` (the team the caller acts for: members, invitations, activity,
//! and a new team) and `/join/:code` (an invitation). Every action is a
//! plain form post: it works before (or without) any WASM, and the server
//! function sends the browser back here, with its error in the address
//! when it refused (`__err`, shown at the top of the page).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{error::ErrorPanel, login::redirect};
use crate::accounts::api::whoami;
use crate::error::AppError;
use crate::teams::api::{current_team, invitation};
use crate::teams::types::*;

/// The message of a plain form post the server refused, if this page was
/// reached by its redirect.
fn refused_post() -> Option<String> {
    let query = use_query_map().get_untracked();
    let err = query.get("__err")?;
    let error = server_fn::error::ServerFnUrlError::<AppError>::decode_err(&err);
    Some(error.to_string())
}

fn refused_banner() -> impl IntoView {
    refused_post().map(|message| {
        view! { <p class="form-error" role="alert" data-testid="team-error">{message}</p> }
    })
}

#[component]
pub fn TeamPage() -> impl IntoView {
    view! {
        <Title text="Team"/>
        {move || Suspend::new(async move {
            // Everything from the caller's one lookup, here: no Suspend
            // nested inside this one (a nested one was sometimes left out
            // of the page when the server was slow).
            let me = whoami().await.ok().flatten();
            let teams = me.as_ref().map(summaries).unwrap_or_default();
            let may_start = me.is_some_and(|u| u.role.builds_sets(u.is_guest));
            match current_team().await {
                Ok(team) => team_view(team, teams, may_start).into_any(),
                Err(AppError::Unauthorized) => {
                    redirect("/login?next=/team");
                    view! { <p>"Please "<a href="/login?next=/team">"log in"</a>"."</p> }.into_any()
                }
                Err(AppError::Forbidden) => no_team_view(may_start).into_any(),
                Err(error) => view! { <ErrorPanel error/> }.into_any(),
            }
        })}
    }
}

/// Someone in no team: a recruiter may start one; anyone else is told how
/// people join.
fn no_team_view(may_start: bool) -> impl IntoView {
    view! {
        <h1>"Team"</h1>
        {refused_banner()}
        <section class="panel empty-state" data-testid="no-team">
            <p class="lead">"You are not in a hiring team."</p>
            <p>"People join a team through an invitation link from one of its owners."</p>
        </section>
        {may_start.then(new_team_form)}
    }
}

fn new_team_form() -> impl IntoView {
    view! {
        <section class="panel">
            <h2>"Start a team"</h2>
            <form method="post" action="/api/teams/create" class="team-form" aria-label="Start a team">
                <label>"Name"
                    <input name="name" required maxlength=TEAM_NAME_MAX placeholder="Backend interviews"/>
                </label>
                <button type="submit" class="button">"Create team"</button>
            </form>
            <p class="muted">"You become its owner and act for it; switch teams from the menu at the top."</p>
        </section>
    }
}

fn team_view(team: TeamPage, teams: Vec<TeamSummary>, may_start: bool) -> impl IntoView {
    let owner = team.my_role == TeamRole::Owner;
    let builds = team.my_role.builds_sets();
    let invited = use_query_map()
        .get_untracked()
        .get("invited")
        .filter(|code| !code.is_empty() && code.len() <= 64);
    let TeamPage {
        name,
        my_role,
        members,
        invites,
        activity,
        ..
    } = team;
    view! {
        <h1 data-testid="team-name">{name.clone()}</h1>
        <p class="lead">"Your role: "<strong data-testid="team-role">{my_role.label()}</strong>
            " — "{my_role.duties()}"."</p>
        {refused_banner()}
        {invited.map(invite_created)}
        {(teams.len() > 1).then(|| switcher(teams))}
        {owner.then(|| rename_form(name))}
        {builds.then(|| members_panel(members, owner))}
        {owner.then(|| invites_panel(invites))}
        {builds.then(|| activity_panel(activity))}
        {(!builds).then(|| view! {
            <section class="panel">
                <p>"Interviewers see the candidates assigned to them, and mark them."</p>
            </section>
        })}
        <section class="panel">
            <h2>"Leave"</h2>
            <form method="post" action="/api/teams/leave" aria-label="Leave the team">
                <p>"You lose access to the team's sets and candidates at once. Your past marks stay, under your name."</p>
                <button type="submit" class="button danger" data-testid="leave-team">"Leave this team"</button>
            </form>
        </section>
        {may_start.then(new_team_form)}
    }
}

fn invite_created(code: String) -> impl IntoView {
    let path = format!("/join/{code}");
    view! {
        <section class="panel notice" role="status" data-testid="invite-created">
            <h2>"Invitation ready"</h2>
            <p>"Send this link to the person you are inviting. It works once, and only until it expires; it is not shown again."</p>
            <p><code class="invite-link" data-testid="invite-link">{path.clone()}</code></p>
            <p class="muted">"Open it yourself to see what they will see: "<a href=path.clone()>"the invitation"</a>"."</p>
        </section>
    }
}

fn switcher(teams: Vec<TeamSummary>) -> impl IntoView {
    view! {
        <section class="panel">
            <h2>"Your teams"</h2>
            <ul class="team-list">
                {teams.into_iter().map(|t| {
                    let label = format!("{} ({})", t.name, t.role.label().to_lowercase());
                    if t.current {
                        view! { <li><strong>{label}</strong>" · acting for it now"</li> }.into_any()
                    } else {
                        view! {
                            <li>
                                <form method="post" action="/api/teams/switch">
                                    <input type="hidden" name="team" value=t.id/>
                                    {label}" "
                                    <button type="submit" class="button small">"Switch to it"</button>
                                </form>
                            </li>
                        }.into_any()
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

fn rename_form(name: String) -> impl IntoView {
    view! {
        <section class="panel">
            <h2>"Name"</h2>
            <form method="post" action="/api/teams/rename" class="team-form" aria-label="Rename the team">
                <label>"Team name"
                    <input name="name" required maxlength=TEAM_NAME_MAX value=name/>
                </label>
                <button type="submit" class="button">"Rename"</button>
            </form>
            <p class="muted">"Candidates see this name on a shared set's page."</p>
        </section>
    }
}

fn role_select(current: TeamRole) -> impl IntoView {
    view! {
        <select name="role" aria-label="Role">
            {TeamRole::ALL.into_iter().map(|r| view! {
                <option value=r.as_str() selected=r == current>{r.label()}</option>
            }).collect_view()}
        </select>
    }
}

fn members_panel(members: Vec<MemberInfo>, owner: bool) -> impl IntoView {
    view! {
        <section class="panel">
            <h2>"Members"</h2>
            <div class="table-scroll"><table class="data-table" data-testid="members">
                <thead><tr><th scope="col">"Name"</th><th scope="col">"Role"</th><th scope="col">"Joined"</th>
                    {owner.then(|| view! { <th scope="col">"Change"</th> })}</tr></thead>
                <tbody>
                    {members.into_iter().map(|m| {
                        let you = m.is_me.then_some(" (you)");
                        let id = m.id.clone();
                        view! {
                            <tr data-testid="member" data-name=m.name.clone()>
                                <td>{m.name.clone()}{you}</td>
                                <td>{m.role.label()}</td>
                                <td>{m.joined_label}</td>
                                {owner.then(|| view! {
                                    <td class="member-actions">
                                        <form method="post" action="/api/teams/role">
                                            <input type="hidden" name="member" value=id.clone()/>
                                            {role_select(m.role)}
                                            <button type="submit" class="button small">"Set role"</button>
                                        </form>
                                        {(!m.is_me).then(|| view! {
                                            <form method="post" action="/api/teams/remove">
                                                <input type="hidden" name="member" value=id.clone()/>
                                                <button type="submit" class="button small danger"
                                                    data-testid="remove-member">"Remove"</button>
                                            </form>
                                        })}
                                    </td>
                                })}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table></div>
        </section>
    }
}

fn invites_panel(invites: Vec<InviteInfo>) -> impl IntoView {
    view! {
        <section class="panel">
            <h2>"Invite someone"</h2>
            <form method="post" action="/api/teams/invite" class="team-form" aria-label="Invite someone">
                <label>"As" {role_select(TeamRole::Interviewer)}</label>
                <label>"Valid for (days)"
                    <input type="number" name="days" min="1" max=INVITE_DAYS_MAX value=INVITE_DAYS_DEFAULT/>
                </label>
                <button type="submit" class="button primary" data-testid="create-invite">"Create invitation link"</button>
            </form>
            {(!invites.is_empty()).then(|| view! {
                <div class="table-scroll"><table class="data-table" data-testid="invites">
                    <thead><tr><th scope="col">"Role"</th><th scope="col">"Made"</th><th scope="col">"Expires"</th>
                        <th scope="col">"State"</th><th scope="col"><span class="visually-hidden">"Withdraw"</span></th></tr></thead>
                    <tbody>
                        {invites.into_iter().map(|i| view! {
                            <tr>
                                <td>{i.role.label()}</td>
                                <td>{i.created_label}</td>
                                <td>{i.expires_label}</td>
                                <td>{i.state}</td>
                                <td>{i.open.then(|| view! {
                                    <form method="post" action="/api/teams/revoke-invite" class="inline-form">
                                        <input type="hidden" name="invite" value=i.id/>
                                        <button type="submit" class="button small">"Withdraw"</button>
                                    </form>
                                })}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table></div>
            })}
        </section>
    }
}

/// The activity log's lines, newest first (the team page, a set's page).
pub fn activity_list(activity: Vec<ActivityLine>, sets_linked: bool) -> impl IntoView {
    if activity.is_empty() {
        return view! { <p class="muted">"Nothing yet."</p> }.into_any();
    }
    view! {
        <ol class="activity" data-testid="activity">
            {activity.into_iter().map(|a| {
                let what = match (sets_linked, a.set_id) {
                    (true, Some(id)) => view! { <a href=format!("/sets/{id}")>{a.what}</a> }.into_any(),
                    _ => view! { {a.what} }.into_any(),
                };
                view! {
                    <li><strong>{a.who}</strong>" "{what}<span class="muted">" · "{a.when_label}</span></li>
                }
            }).collect_view()}
        </ol>
    }
    .into_any()
}

fn activity_panel(activity: Vec<ActivityLine>) -> impl IntoView {
    view! {
        <section class="panel">
            <h2>"Activity"</h2>
            {activity_list(activity, true)}
        </section>
    }
}

#[component]
pub fn JoinPage() -> impl IntoView {
    let code = use_params_map()
        .get_untracked()
        .get("code")
        .unwrap_or_default();
    view! {
        <Title text="Join a team"/>
        {move || { let code = code.clone(); Suspend::new(async move {
            let me = whoami().await.ok().flatten().filter(|u| !u.is_guest);
            match invitation(code.clone()).await {
                Ok(invite) => join_view(invite, code, me.is_some()).into_any(),
                Err(error) => view! { <ErrorPanel error/> }.into_any(),
            }
        })}}
    }
}

fn join_view(invite: InviteLanding, code: String, has_account: bool) -> impl IntoView {
    let here = format!("/join/{code}");
    let action = match (&invite.problem, has_account) {
        (Some(problem), _) => view! {
            <p class="form-error" role="alert" data-testid="invite-problem">{problem.clone()}</p>
        }
        .into_any(),
        (None, true) => view! {
            <form method="post" action="/api/teams/accept" aria-label="Accept the invitation">
                <input type="hidden" name="code" value=code/>
                <button type="submit" class="button primary" data-testid="accept-invite">"Join the team"</button>
            </form>
        }
        .into_any(),
        (None, false) => {
            let login = crate::accounts::types::login_href(&here);
            let register = format!(
                "/register?next={}",
                crate::questions::types::encode_component(&here)
            );
            view! {
                <p>"Joining needs an account. "<a href=login class="button primary">"Log in"</a>" or "
                    <a href=register class="button">"create an account"</a>", then come back to this link."</p>
            }
            .into_any()
        }
    };
    view! {
        <section class="panel auth-panel">
            <h1>"Join "{invite.team_name}</h1>
            {refused_banner()}
            <p class="lead" data-testid="invite-role">"You are invited as "<strong>{invite.role.label().to_lowercase()}</strong>
                ": "{invite.role.duties()}"."</p>
            {action}
        </section>
    }
}
