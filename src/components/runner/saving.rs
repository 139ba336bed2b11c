//! Keeping the draft stored: a save after typing pauses, on leaving the
//! editor, when the tab hides (by beacon), and again after going offline.

use leptos::prelude::*;

use super::Runner;
use crate::components::autosave::SaveState;
use crate::error::AppError;
use crate::sessions::api::{save_draft, SaveDraft};
use crate::sessions::types::*;

/// How long typing must pause before a draft is saved.
pub(super) const SAVE_PAUSE: std::time::Duration = std::time::Duration::from_millis(1_200);

/// A name for this tab, so the server can tell its saves from another
/// tab's. Random is enough: it is no secret, only a label.
pub(super) fn editor_id() -> String {
    #[cfg(feature = "hydrate")]
    {
        format!("{:x}", (js_sys::Math::random() * 9.0e15) as u64)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        String::new()
    }
}

impl Runner {
    /// The next save: what to send, with a fresh revision. `None` when
    /// there is nothing to save, or a submit is carrying the text already.
    pub(super) fn next_save(self) -> Option<SaveDraft> {
        let s = self.state.get_untracked();
        if matches!(
            self.save_state.get_untracked(),
            SaveState::Saved | SaveState::Elsewhere
        ) || s.phase != Phase::Answering
            || self.busy.get_untracked()
        {
            return None;
        }
        self.rev.update_value(|r| *r += 1);
        Some(SaveDraft {
            id: self.id(),
            position: s.position,
            text: self.text.get_untracked(),
            rev: self.rev.get_value(),
            editor: self.editor.get_value(),
            base: self.base.get_value(),
        })
    }

    /// Sends one save and records what its answer means. "Saved" only when
    /// the newest text is the one stored. True when the text is safe
    /// (stored, or overtaken by a newer save of this tab).
    pub(super) async fn send_save(self, args: SaveDraft) -> bool {
        self.save_state.set(SaveState::Saving);
        let body = args.text.clone();
        let sent = args.rev;
        match save_draft(
            args.id,
            args.position,
            args.text,
            args.rev,
            args.editor,
            args.base,
        )
        .await
        {
            // Stored, or overtaken by a newer save of this tab (the ack then
            // names the newer revision): either way nothing is lost.
            Ok(ack) => {
                self.base.update_value(|b| *b = (*b).max(ack.rev));
                if self.text.get_untracked() == body && self.rev.get_value() == sent {
                    self.save_state.set(SaveState::Saved);
                } else if self.save_state.get_untracked() == SaveState::Saving {
                    self.save_state.set(SaveState::Unsaved);
                }
                true
            }
            Err(e) => {
                match SaveState::after(&e, other_editor) {
                    Some(SaveState::Elsewhere) => {
                        self.save_state.set(SaveState::Elsewhere);
                        self.error.set(Some(e.to_string()));
                    }
                    Some(other) => self.save_state.set(other),
                    // A save overtaken by a submit is refused harmlessly;
                    // only tell the person when they are still answering.
                    None if self.state.get_untracked().phase == Phase::Answering => {
                        self.save_state.set(SaveState::Unsaved);
                        self.show_error(e);
                    }
                    None => {
                        self.save_state.set(SaveState::Saved);
                        return true;
                    }
                }
                false
            }
        }
    }

    pub(super) fn save_now(self) {
        if let Some(args) = self.next_save() {
            leptos::task::spawn_local(async move {
                self.send_save(args).await;
            });
        }
    }

    /// On page hide a normal request may be cancelled with the page; a
    /// beacon is delivered even after the tab is gone.
    #[cfg(feature = "hydrate")]
    pub(super) fn save_on_hide(self) {
        self.marks_on_hide();
        self.draft_on_hide();
    }

    /// A grade picked but not yet stored, sent by beacon (once per change).
    #[cfg(feature = "hydrate")]
    fn marks_on_hide(self) {
        let Some(m) = self.unsaved_marks() else {
            return;
        };
        let Ok(params) = web_sys::UrlSearchParams::new() else {
            return;
        };
        params.append("id", &m.id);
        params.append("position", &m.position.to_string());
        params.append("grade", &m.grade.to_string());
        for (i, tick) in m.key_points_hit.iter().enumerate() {
            params.append(&format!("key_points_hit[{i}]"), &tick.to_string());
        }
        params.append("flagged", if m.flagged { "true" } else { "false" });
        params.append("note", &m.note);
        let url = <crate::sessions::api::GradeAnswer as leptos::server_fn::ServerFn>::PATH;
        let sent = window()
            .navigator()
            .send_beacon_with_opt_url_search_params(url, Some(&params))
            .unwrap_or(false);
        if sent {
            // What the server now holds, so a second hide sends nothing.
            self.state.update(|s| {
                s.grade = Some(m.grade);
                s.key_points_hit = m.key_points_hit;
                s.flagged = m.flagged;
                s.note = m.note;
            });
        }
    }

    #[cfg(feature = "hydrate")]
    fn draft_on_hide(self) {
        // visibilitychange and pagehide both come: send the text once.
        let text = self.text.get_untracked();
        if self
            .beaconed
            .with_value(|b| b.as_deref() == Some(text.as_str()))
        {
            return;
        }
        if let Some(args) = self.next_save() {
            self.beaconed.set_value(Some(args.text.clone()));
            if send_beacon(&args) {
                // No reply comes back: unconfirmed until a normal save.
                self.save_state.set(SaveState::Unsaved);
            } else {
                // Refused (too large for a beacon): try a normal request.
                leptos::task::spawn_local(async move {
                    self.send_save(args).await;
                });
            }
        }
    }

    /// After an edit: a save once typing pauses.
    pub(super) fn schedule_save(self) {
        // Another tab owns this answer now; this one saves nothing more.
        if self.save_state.get_untracked() == SaveState::Elsewhere {
            return;
        }
        self.save_state.set(SaveState::Unsaved);
        self.pending_save.schedule(move || self.save_now());
    }

    /// Drops the save waiting for typing to pause (a submit or the end of
    /// the session carries the text instead).
    pub(super) fn cancel_pending_save(self) {
        self.pending_save.cancel();
    }
}

/// Sends a save with `navigator.sendBeacon`, which the browser delivers
/// even when the page is going away. False when the browser refused it
/// (beacons are limited to about 64 KiB in flight).
#[cfg(feature = "hydrate")]
fn send_beacon(args: &SaveDraft) -> bool {
    let Ok(params) = web_sys::UrlSearchParams::new() else {
        return false;
    };
    params.append("id", &args.id);
    params.append("position", &args.position.to_string());
    params.append("text", &args.text);
    params.append("rev", &args.rev.to_string());
    params.append("editor", &args.editor);
    params.append("base", &args.base.to_string());
    let url = <SaveDraft as leptos::server_fn::ServerFn>::PATH;
    window()
        .navigator()
        .send_beacon_with_opt_url_search_params(url, Some(&params))
        .unwrap_or(false)
}

/// The refusal that means another tab saved this answer since.
fn other_editor(e: &AppError) -> bool {
    matches!(e, AppError::Conflict(m) if m == OTHER_EDITOR)
}
