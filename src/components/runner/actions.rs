//! What the person does: submit, grade and go on, work the timer, take a
//! follow-up, end the session. Each asks the server and adopts its answer.

use leptos::prelude::*;

use super::{go_to, Runner};
use crate::sessions::api::{
    adjust_timer, ask_follow_up, end_session, grade_answer, next_question, submit_answer,
    GradeAnswer,
};
use crate::sessions::types::*;

impl Runner {
    pub(super) fn submit(self) {
        if self.busy.get_untracked() || self.state.get_untracked().phase != Phase::Answering {
            return;
        }
        self.busy.set(true);
        // The submit carries the text: a pending autosave would only race it.
        self.cancel_pending_save();
        let (id, position, body) = (
            self.id(),
            self.state.get_untracked().position,
            self.text.get_untracked(),
        );
        let (tab, known) = (self.editor.get_value(), self.base.get_value());
        leptos::task::spawn_local(async move {
            match submit_answer(id, position, body, tab, known).await {
                Ok(s) => {
                    self.save_state.set(super::SaveState::Saved);
                    self.error.set(None);
                    self.adopt(s);
                }
                Err(e) => {
                    self.show_error(e);
                    // The autosave this submit cancelled: schedule it again.
                    self.schedule_save();
                }
            }
            self.busy.set(false);
        });
    }

    /// Stores the grade, ticks, flag and note, then moves to the next
    /// question (or the summary).
    pub(super) fn go_next(self) {
        let s = self.state.get_untracked();
        if self.busy.get_untracked() || s.phase != Phase::Reviewing {
            return;
        }
        let Some(g) = self.grade.get_untracked() else {
            self.show_error("Pick a grade first (keys 1 to 4).");
            return;
        };
        self.busy.set(true);
        let id = self.id();
        let (ticks, flag, memo) = (
            self.ticked.get_untracked(),
            self.flagged.get_untracked(),
            self.note.get_untracked(),
        );
        leptos::task::spawn_local(async move {
            let result = match grade_answer(id.clone(), s.position, g, ticks, flag, memo).await {
                Ok(_) => next_question(id, s.position).await,
                Err(e) => Err(e),
            };
            match result {
                Ok(s) => {
                    self.error.set(None);
                    self.adopt(s);
                }
                Err(e) => self.show_error(e),
            }
            self.busy.set(false);
        });
    }

    pub(super) fn timer(self, action: TimerAction) {
        let id = self.id();
        leptos::task::spawn_local(async move {
            match adjust_timer(id, action).await {
                Ok(s) => self.adopt(s),
                Err(e) => self.show_error(e),
            }
        });
    }

    /// "Answer it next": the follow-up becomes the next question.
    pub(super) fn ask_follow_up(self, index: usize) {
        let id = self.id();
        let position = self.state.get_untracked().position;
        leptos::task::spawn_local(async move {
            match ask_follow_up(id, position, u32::try_from(index).unwrap_or(0)).await {
                Ok(s) => {
                    self.error.set(None);
                    self.adopt(s);
                }
                Err(e) => self.show_error(e),
            }
        });
    }

    /// The grade, ticks, flag and note on screen, when a grade is picked
    /// and they differ from what the server holds: what ending the session
    /// or leaving the page must store first.
    pub(super) fn unsaved_marks(self) -> Option<GradeAnswer> {
        let s = self.state.get_untracked();
        let grade = self.grade.get_untracked()?;
        let marks = GradeAnswer {
            id: self.id(),
            position: s.position,
            grade,
            key_points_hit: self.ticked.get_untracked(),
            flagged: self.flagged.get_untracked(),
            note: self.note.get_untracked(),
        };
        let stored = s.grade == Some(grade)
            && s.key_points_hit == marks.key_points_hit
            && s.flagged == marks.flagged
            && s.note == marks.note;
        (s.phase == Phase::Reviewing && !stored).then_some(marks)
    }

    pub(super) fn end(self) {
        let id = self.id();
        let summary = format!("/practice/{id}/summary");
        self.cancel_pending_save();
        let last_save = self.next_save();
        let marks = self.unsaved_marks();
        leptos::task::spawn_local(async move {
            // The grade picked on screen is stored before the session ends.
            if let Some(m) = marks {
                let stored = grade_answer(
                    m.id,
                    m.position,
                    m.grade,
                    m.key_points_hit,
                    m.flagged,
                    m.note,
                )
                .await;
                if let Err(e) = stored {
                    self.show_error(format!("{e} The session was not ended."));
                    return;
                }
            }
            // The draft on screen is stored before the session ends; if it
            // can't be, the session stays open and says why.
            if let Some(args) = last_save {
                if !self.send_save(args).await {
                    if self.error.get_untracked().is_none() {
                        self.show_error(
                            "Your last words could not be saved, so the session was not ended. Check your connection and try again.",
                        );
                    }
                    return;
                }
            }
            match end_session(id).await {
                Ok(()) => go_to(&summary),
                Err(e) => self.show_error(e),
            }
        });
    }
}
