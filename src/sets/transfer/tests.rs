//! Round trips and hostile input for every format.

use super::*;
use proptest::prelude::*;

const HEADER: &str = "prompt,level,topic,answer,key_points";

fn own(prompt: &str) -> TransferQuestion {
    TransferQuestion {
        source: Source::Own,
        slug: None,
        question: QuestionInput {
            prompt: prompt.to_owned(),
            level: Some(Level::Beginner),
            topic: "databases".to_owned(),
            reference_answer: "Because **reads**.".to_owned(),
            key_points: vec!["reads get faster".to_owned()],
            reviewer_note: String::new(),
        },
        per_question_secs: None,
    }
}

fn header() -> SetHeader {
    SetHeader {
        title: "Backend round 1".to_owned(),
        instructions: "Answer in your own words.\n\nTake your time.".to_owned(),
        mode: Mode::Interview,
        per_question_secs: Some(300),
        total_secs: None,
        shuffle: true,
        hide_reference: false,
        share_feedback: true,
    }
}

fn sample() -> Transfer {
    let bank = TransferQuestion {
        source: Source::Bank,
        slug: Some("sql-index-basics".to_owned()),
        ..own("What is an index?")
    };
    let mut tricky = own("Explain \"N+1\" queries — café, naïveté, 日本語");
    tricky.question.level = Some(Level::Advanced);
    tricky.question.reference_answer =
        "Use a join:\n\n```sql\nSELECT \"a\", 'b' FROM t JOIN u ON t.id = u.t_id;\n```\n\nDone ✓"
            .to_owned();
    tricky.question.key_points = vec![
        "one query, not N".to_owned(),
        "mentions \"eager loading\"".to_owned(),
    ];
    tricky.question.reviewer_note = "Look for the word \"join\".".to_owned();
    tricky.per_question_secs = Some(90);
    Transfer {
        set: Some(header()),
        questions: vec![bank, tricky, own("Why use a transaction?")],
    }
}

fn errors(result: Result<Transfer, Vec<ImportError>>) -> Vec<ImportError> {
    match result {
        Ok(t) => panic!("expected errors, got {t:?}"),
        Err(errors) => errors,
    }
}

fn locations(result: Result<Transfer, Vec<ImportError>>) -> Vec<String> {
    errors(result).into_iter().map(|e| e.location).collect()
}

fn edited_json(edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut value: serde_json::Value =
        serde_json::from_str(&to_json(&sample())).expect("our own JSON parses");
    edit(&mut value);
    value.to_string()
}

#[test]
fn json_round_trips_a_set_and_a_plain_list() {
    let t = sample();
    let text = to_json(&t);
    assert!(text.contains("\"format\": \"rehearse-set\""));
    assert!(text.contains("\"level\": \"advanced\""));
    assert_eq!(from_json(&text), Ok(t));
    let list = Transfer {
        set: None,
        questions: sample().questions,
    };
    assert_eq!(from_json(&to_json(&list)), Ok(list));
}

#[test]
fn json_import_tidies_and_fills_defaults() {
    let text = r#"{"format":"rehearse-set","version":1,"questions":[
        {"prompt":"  Why? ","level":"Beginner","topic":"databases",
         "reference_answer":"Because.","key_points":[" a ",""]}]}"#;
    let t = from_json(text).expect("a minimal question imports");
    let q = t.questions.first().expect("one question");
    assert_eq!(q.source, Source::Own);
    assert_eq!(q.question.prompt, "Why?");
    assert_eq!(q.question.key_points, ["a"]);
}

#[test]
fn csv_cells_never_start_a_formula_and_round_trip() {
    let mut q = own("=HYPERLINK(\"http://x\",\"y\")");
    q.question.reference_answer = "- a list item\n+ another".to_owned();
    q.question.key_points = vec!["@SUM(A1)".to_owned()];
    q.question.reviewer_note = "'quoted already".to_owned();
    q.question.reference_answer = "'= typed by hand\n- a list item".to_owned();
    let t = Transfer {
        set: None,
        questions: vec![q.clone()],
    };
    let text = to_csv(&t);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    for record in reader.records() {
        for cell in record.expect("record").iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{cell}"
            );
        }
    }
    assert_eq!(
        from_csv(&text),
        Ok(Transfer {
            set: None,
            questions: vec![q]
        })
    );
}

#[test]
fn csv_round_trips_questions() {
    let mut q = own("Compare \"optimistic\" and pessimistic locking, briefly");
    q.question.reference_answer = "First line,\nsecond \"line\"\r\n\n- a list".to_owned();
    q.question.key_points = vec!["versions, not locks".to_owned(), "say \"retry\"".to_owned()];
    q.question.reviewer_note = "ok, fine".to_owned();
    q.per_question_secs = Some(120);
    let t = Transfer {
        set: Some(header()),
        questions: vec![q.clone(), sample().questions.remove(0)],
    };
    let mut bank = sample().questions.remove(0);
    bank.source = Source::Own;
    bank.slug = None;
    let text = to_csv(&t);
    assert!(
        text.starts_with("prompt,level,topic,answer,key_points,reviewer_note,per_question_secs\n")
    );
    assert_eq!(
        from_csv(&text),
        Ok(Transfer {
            set: None,
            questions: vec![q, bank]
        })
    );
}

#[test]
fn csv_columns_may_come_in_any_order() {
    let text = "\u{feff}Key_Points,TOPIC,answer,level,prompt\n\"a | b |\",databases,Yes.,intermediate,Why?\n";
    let t = from_csv(text).expect("reordered columns import");
    let q = t.questions.first().expect("one question");
    assert_eq!(q.question.key_points, ["a", "b"]);
    assert_eq!(q.question.level, Some(Level::Intermediate));
    assert_eq!(q.per_question_secs, None);
}

#[test]
fn json_errors_name_their_path() {
    let text = edited_json(|v| {
        v["questions"][1]["level"] = "expert".into();
        v["questions"][2]["key_points"] = serde_json::json!([]);
    });
    let errs = errors(from_json(&text));
    let at: Vec<&str> = errs.iter().map(|e| e.location.as_str()).collect();
    assert_eq!(at, ["questions[1].level", "questions[2].key_points"]);
    assert!(errs
        .iter()
        .any(|e| e.message.contains("unknown level \"expert\"")));

    let text = edited_json(|v| v["questions"][0]["per_question_secs"] = "soon".into());
    let errs = errors(from_json(&text));
    let err = errs.first().expect("one error");
    assert_eq!(err.location, "questions[0].per_question_secs");
    assert!(err.message.contains("whole number"), "{}", err.message);
    assert!(!err.message.contains("u32"), "{}", err.message);
}

#[test]
fn json_set_and_slug_problems() {
    let text = edited_json(|v| {
        v["set"]["title"] = " ".into();
        v["set"]["total_secs"] = 5.into();
        v["set"]["mode"] = "exam".into();
        v["questions"][0]["slug"] = serde_json::Value::Null;
    });
    assert_eq!(
        locations(from_json(&text)),
        [
            "set.mode",
            "set.title",
            "set.total_secs",
            "questions[0].slug"
        ]
    );
    let text = edited_json(|v| v["questions"][1]["source"] = "borrowed".into());
    assert_eq!(locations(from_json(&text)), ["questions[1].source"]);
}

#[test]
fn json_that_is_not_ours_or_not_json() {
    let other = r#"{"format":"something-else","version":1,"questions":[]}"#;
    assert_eq!(locations(from_json(other)), ["format"]);
    let newer = r#"{"format":"rehearse-set","version":2,"questions":[]}"#;
    assert_eq!(locations(from_json(newer)), ["version"]);
    let errs = errors(from_json("this is not json"));
    let err = errs.first().expect("one error");
    assert_eq!(err.location, "(file)");
    assert!(err.message.starts_with("Not valid JSON"), "{}", err.message);
    assert_eq!(locations(from_json("42")), ["(file)"]);
    assert_eq!(
        locations(from_json(&format!("{} x", to_json(&sample())))),
        ["(file)"]
    );
}

#[test]
fn csv_bad_level_is_located() {
    let text = format!(
        "{HEADER}\nWhy?,beginner,databases,Because.,fast\nHow?,expert,databases,Like this.,a | b\n"
    );
    let errs = errors(from_csv(&text));
    assert_eq!(errs.len(), 1);
    let err = errs.first().expect("one error");
    assert_eq!(err.location, "line 3");
    assert!(
        err.message.contains("unknown level \"expert\""),
        "{}",
        err.message
    );
}

#[test]
fn csv_missing_column_is_line_one() {
    let errs = errors(from_csv(
        "prompt,level,answer,key_points\nWhy?,beginner,Yes.,a\n",
    ));
    assert_eq!(errs.len(), 1);
    let err = errs.first().expect("one error");
    assert_eq!(err.location, "line 1");
    assert!(err.message.contains("\"topic\""), "{}", err.message);
}

#[test]
fn csv_multi_line_fields_keep_line_numbers_right() {
    let lf = format!(
        "{HEADER}\nWhy?,beginner,databases,\"line a\nline b\nline c\",fast\nHow?,expert,databases,x,y\n"
    );
    assert_eq!(locations(from_csv(&lf)), ["line 5"]);
    let crlf = lf.replace('\n', "\r\n");
    assert_eq!(locations(from_csv(&crlf)), ["line 5"]);
    let blank_lines = format!("{HEADER}\n\n\nHow?,expert,databases,x,y\n");
    assert_eq!(locations(from_csv(&blank_lines)), ["line 4"]);
}

#[test]
fn csv_rows_of_the_wrong_width_are_located() {
    let text =
        format!("{HEADER}\nWhy?,beginner\nWhy?,beginner,databases,Yes.,a\nx,y,z,1,2,3,4,5\n");
    let errs = errors(from_csv(&text));
    let at: Vec<&str> = errs.iter().map(|e| e.location.as_str()).collect();
    assert_eq!(at, ["line 2", "line 4"]);
    assert!(errs.iter().all(|e| e.message.contains("fields")));
}

#[test]
fn csv_field_problems_name_the_column() {
    let text = format!("{HEADER},per_question_secs\n,beginner,databases,,|,soon\n");
    let errs = errors(from_csv(&text));
    let messages: Vec<&str> = errs.iter().map(|e| e.message.as_str()).collect();
    assert!(errs.iter().all(|e| e.location == "line 2"));
    assert!(messages.contains(&"per_question_secs: \"soon\" is not a whole number of seconds."));
    assert!(messages.contains(&"prompt: Write the question."));
    assert!(messages.contains(&"answer: Write a reference answer."));
    assert!(messages.contains(&"key_points: Give 1 to 8 key points (0 now)."));
}

#[test]
fn limits_are_enforced() {
    let many = Transfer {
        set: None,
        questions: vec![own("Why?"); IMPORT_MAX_QUESTIONS + 1],
    };
    assert_eq!(locations(from_json(&to_json(&many))), ["questions"]);
    assert_eq!(
        locations(from_csv(&to_csv(&many))),
        [format!("line {}", IMPORT_MAX_QUESTIONS + 2)]
    );
    let enough = Transfer {
        set: None,
        questions: vec![own("Why?"); IMPORT_MAX_QUESTIONS],
    };
    assert_eq!(from_json(&to_json(&enough)), Ok(enough));

    // Valid files padded past the limit: refused before any parsing.
    let padding = " ".repeat(IMPORT_MAX_BYTES);
    let json = to_json(&sample()) + &padding;
    assert_eq!(locations(from_json(&json)), ["(file)"]);
    let csv = to_csv(&sample()) + &padding;
    assert_eq!(locations(from_csv(&csv)), ["(file)"]);
}

#[test]
fn markdown_reads_well() {
    let md = to_markdown(&sample());
    assert!(md.starts_with("# Backend round 1\n\nAnswer in your own words."));
    assert!(md.contains("*Interview mode · 5 min a question · questions in random order*"));
    assert!(md.contains("## 1. What is an index?\n\n*Beginner · databases · 5 min*"));
    assert!(md.contains("*Advanced · databases · 1 min 30 s*"));
    assert!(md.contains("### Reference answer\n\nUse a join:\n\n```sql\n"));
    assert!(md.contains("### Key points\n\n- one query, not N\n- mentions"));
    assert!(md.contains("> Note for reviewers: Look for the word \"join\"."));
    let list = to_markdown(&Transfer {
        set: None,
        questions: vec![own("Why?")],
    });
    assert!(list.starts_with("# Questions\n\n## 1. Why?\n\n*Beginner · databases*\n"));
}

/// Ok, or errors that each say where and what.
fn located(result: &Result<Transfer, Vec<ImportError>>) -> bool {
    match result {
        Ok(_) => true,
        Err(errors) => {
            !errors.is_empty()
                && errors
                    .iter()
                    .all(|e| !e.location.is_empty() && !e.message.is_empty())
        }
    }
}

const CSV_BITS: &[&str] = &[
    ",",
    ",",
    "\"",
    "\n",
    "\r\n",
    "\r",
    "|",
    " ",
    "beginner",
    "expert",
    "databases",
    "x",
    "120",
    "-1",
    "prompt",
    "level",
    "topic",
    "answer",
    "key_points",
    "per_question_secs",
    "\u{feff}",
    "é",
];
const JSON_BITS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "\"prompt\":",
    "\"level\":",
    "\"topic\":",
    "\"key_points\":",
    "\"source\":",
    "\"slug\":",
    "\"per_question_secs\":",
    "\"set\":",
    "\"mode\":",
    "\"beginner\"",
    "\"expert\"",
    "\"bank\"",
    "\"x\"",
    "null",
    "1",
    "-1",
    "4294967296",
    "1.5",
    "true",
    "\"\\u00e9\"",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_text_is_read_or_refused_with_located_errors(text in ".*") {
        prop_assert!(located(&from_json(&text)));
        prop_assert!(located(&from_csv(&text)));
    }

    #[test]
    fn any_bytes_are_read_or_refused_with_located_errors(
        bytes in proptest::collection::vec(any::<u8>(), 0..2000)
    ) {
        let text = String::from_utf8_lossy(&bytes);
        prop_assert!(located(&from_json(&text)));
        prop_assert!(located(&from_csv(&text)));
    }

    #[test]
    fn csv_shaped_text_is_read_or_refused_with_located_errors(
        bits in proptest::collection::vec(proptest::sample::select(CSV_BITS), 0..300),
        with_header in proptest::bool::ANY,
    ) {
        let body = bits.concat();
        let text = if with_header { format!("{}\n{body}", CSV_COLUMNS.join(",")) } else { body };
        prop_assert!(located(&from_csv(&text)));
    }

    #[test]
    fn json_shaped_text_is_read_or_refused_with_located_errors(
        bits in proptest::collection::vec(proptest::sample::select(JSON_BITS), 0..200),
    ) {
        let text = format!(
            "{{\"format\":\"rehearse-set\",\"version\":1,\"questions\":[{}",
            bits.concat()
        );
        prop_assert!(located(&from_json(&text)));
    }
}
