//! Searching and reading the bank: filters, facets, a question with its neighbours, a random draw, topics and counts.

use super::*;

/// The filter as bound parameters: JSON arrays for the IN-lists (read with
/// `json_each`, so the SQL text never changes with the input), the FTS
/// query, if any, and the scope.
pub(super) struct Bound {
    pub(super) levels: String,
    pub(super) topics: String,
    pub(super) fts: Option<String>,
    pub(super) bank: bool,
    pub(super) owner: Option<Uuid>,
}

pub(super) fn bind_filter(filter: &QuestionFilter, scope: Scope) -> Bound {
    let levels: Vec<&str> = filter.levels.iter().map(|l| l.as_str()).collect();
    Bound {
        levels: serde_json::to_string(&levels).unwrap_or_else(|_| "[]".into()),
        topics: serde_json::to_string(&filter.topics).unwrap_or_else(|_| "[]".into()),
        fts: if POSTGRES {
            ts_query(&filter.q)
        } else {
            fts_query(&filter.q)
        },
        bank: scope.bank(),
        owner: scope.team(),
    }
}

// One WHERE clause for the list and both facet counts. `$1` levels, `$2`
// topics, `$3` FTS query (NULL = no text search), `$6` whether the bank is
// in scope, `$7` the team whose own questions are (NULL: nobody's). An
// empty JSON array means "no restriction"; the facet queries pass '[]' for
// their own dimension. A team's own questions are only ever seen by its members.
// A macro rather than a `const` so that `concat!` builds every query at
// compile time: no SQL is ever assembled at run time. The text search is
// FTS5's on SQLite and the `search` tsvector's on PostgreSQL.

#[derive(sqlx::FromRow)]
pub(super) struct SummaryRow {
    pub(super) slug: String,
    pub(super) topic_slug: String,
    pub(super) topic_name: String,
    pub(super) level: Level,
    pub(super) prompt: String,
    pub(super) snippet: Option<String>,
}

/// One page of the bank's filtered list with the facet counts beside it.
pub async fn list(pool: &Pool, filter: &QuestionFilter) -> Result<QuestionList, sqlx::Error> {
    list_in(pool, filter, Scope::Bank).await
}

/// One page of the filtered list of `scope`, with the facet counts.
pub async fn list_in(
    pool: &Pool,
    filter: &QuestionFilter,
    scope: Scope,
) -> Result<QuestionList, sqlx::Error> {
    let b = bind_filter(filter, scope);
    let offset = i64::from(filter.page) * i64::from(PAGE_SIZE);

    let rows = page_rows(pool, &b, offset).await?;

    // One pass gives every count: how many questions match the text in each
    // (level, topic) cell. The total and both facets are sums over cells.
    let cells: Vec<Cell> = sqlx::query_as(with_filter!(
        "SELECT q.level, t.slug AS topic, count(*) AS n ",
        " GROUP BY q.level, t.id, t.slug"
    ))
    .bind("[]")
    .bind("[]")
    .bind(&b.fts)
    .bind(None::<i64>)
    .bind(None::<i64>)
    .bind(b.bank)
    .bind(b.owner)
    .fetch_all(pool)
    .await?;
    let facets = Facets::from_cells(&cells, filter);
    let topics: Vec<(String, String)> = sqlx::query_as(
        "SELECT t.slug, t.name FROM topics t
         WHERE EXISTS (SELECT 1 FROM questions x
                       WHERE x.topic_id = t.id AND x.archived = FALSE AND x.source = 'builtin' AND x.parent_id IS NULL)
         ORDER BY t.position",
    )
    .fetch_all(pool)
    .await?;
    // Every topic is listed, with zero where the filter leaves nothing, so
    // the filter panel doesn't jump around as a person narrows the search.
    let topic_counts: Vec<TopicCount> = topics
        .into_iter()
        .map(|(slug, name)| TopicCount {
            count: facets.topic(&slug),
            slug,
            name,
        })
        .collect();
    let level_counts = Level::ALL
        .into_iter()
        .map(|l| (l, facets.level(l)))
        .collect();
    let total = facets.total;

    Ok(QuestionList {
        items: rows
            .into_iter()
            .filter_map(SummaryRow::into_summary)
            .collect(),
        total,
        page: filter.page,
        level_counts,
        topic_counts,
    })
}

/// One page of the matching questions: ranked by relevance when there is
/// text to search for, else in the bank's order.
async fn page_rows(pool: &Pool, b: &Bound, offset: i64) -> Result<Vec<SummaryRow>, sqlx::Error> {
    if let Some(fts) = &b.fts {
        // Two phases: rank every match cheaply (FTS5's `rank`, configured
        // as bm25 with the prompt weighted highest; on PostgreSQL
        // `ts_rank_cd` over the weighted tsvector, which favours the words
        // close together, as typed, over a long answer that merely has them
        // all), keep one page of ids, and only then build highlights and
        // snippets for those 20 rows.
        let sqlite = "SELECT q.slug, t.slug AS topic_slug, t.name AS topic_name, q.level,
                    highlight(questions_fts, 0, char(1), char(2)) AS prompt,
                    snippet(questions_fts, 1, char(1), char(2), '…', 18) AS snippet
             FROM questions_fts
             JOIN questions q ON q.id = questions_fts.rowid
             JOIN topics t ON t.id = q.topic_id
             WHERE questions_fts MATCH $3
               AND questions_fts.rowid IN (
                   SELECT f.rowid FROM questions_fts f
                   JOIN questions q2 ON q2.id = f.rowid
                   JOIN topics t2 ON t2.id = q2.topic_id
                   WHERE f.questions_fts MATCH $3 AND q2.archived = FALSE
                     AND (($6 AND q2.source = 'builtin' AND q2.parent_id IS NULL) OR (q2.source = 'author' AND q2.team_id = $7))
                     AND ($1 = '[]' OR q2.level IN (SELECT value FROM json_each($1)))
                     AND ($2 = '[]' OR t2.slug IN (SELECT value FROM json_each($2)))
                   ORDER BY f.rank, f.rowid
                   LIMIT $4 OFFSET $5)
             ORDER BY questions_fts.rank, q.id";
        let postgres = concat!(
            "WITH hits AS (
                 SELECT q.id, ts_rank_cd(q.search, to_tsquery('simple', $3), 1) AS rank ",
            filtered!(postgres),
            "    ORDER BY rank DESC, q.id
                 LIMIT $4 OFFSET $5)
             SELECT q.slug, t.slug AS topic_slug, t.name AS topic_name, q.level,
                    ts_headline('simple', q.prompt, to_tsquery('simple', $3),
                        'HighlightAll=true, StartSel=' || chr(1) || ', StopSel=' || chr(2)) AS prompt,
                    ts_headline('simple', q.reference_answer, to_tsquery('simple', $3),
                        'MaxWords=18, MinWords=8, MaxFragments=1, FragmentDelimiter=…, StartSel='
                        || chr(1) || ', StopSel=' || chr(2)) AS snippet
             FROM hits h
             JOIN questions q ON q.id = h.id
             JOIN topics t ON t.id = q.topic_id
             ORDER BY h.rank DESC, q.id"
        );
        sqlx::query_as(if POSTGRES { postgres } else { sqlite })
            .bind(&b.levels)
            .bind(&b.topics)
            .bind(fts)
            .bind(i64::from(PAGE_SIZE))
            .bind(offset)
            .bind(b.bank)
            .bind(b.owner)
            .fetch_all(pool)
            .await
    } else {
        sqlx::query_as(with_filter!(
            "SELECT q.slug, t.slug AS topic_slug, t.name AS topic_name, q.level, q.prompt,
                    CAST(NULL AS TEXT) AS snippet
             ",
            "
             ORDER BY t.position, CASE q.level WHEN 'beginner' THEN 0
                 WHEN 'intermediate' THEN 1 ELSE 2 END, q.id
             LIMIT $4 OFFSET $5"
        ))
        .bind(&b.levels)
        .bind(&b.topics)
        .bind(&b.fts)
        .bind(i64::from(PAGE_SIZE))
        .bind(offset)
        .bind(b.bank)
        .bind(b.owner)
        .fetch_all(pool)
        .await
    }
}

/// How many questions match in one (level, topic) cell.
#[derive(sqlx::FromRow)]
pub(super) struct Cell {
    pub(super) level: String,
    pub(super) topic: String,
    pub(super) n: i64,
}

/// Counts derived from the (level, topic) matrix of text matches.
pub(super) struct Facets<'a> {
    pub(super) cells: &'a [Cell],
    pub(super) filter: &'a QuestionFilter,
    pub(super) total: i64,
}

impl<'a> Facets<'a> {
    pub(super) fn from_cells(cells: &'a [Cell], filter: &'a QuestionFilter) -> Self {
        let mut f = Self {
            cells,
            filter,
            total: 0,
        };
        f.total = f.sum(|level, topic| f.level_ok(level) && f.topic_ok(topic));
        f
    }

    pub(super) fn level_ok(&self, level: &str) -> bool {
        self.filter.levels.is_empty() || self.filter.levels.iter().any(|l| l.as_str() == level)
    }

    pub(super) fn topic_ok(&self, topic: &str) -> bool {
        self.filter.topics.is_empty() || self.filter.topics.iter().any(|t| t == topic)
    }

    pub(super) fn sum(&self, keep: impl Fn(&str, &str) -> bool) -> i64 {
        self.cells
            .iter()
            .filter(|c| keep(&c.level, &c.topic))
            .map(|c| c.n)
            .sum()
    }

    /// What ticking this level would show, the topic filter kept.
    pub(super) fn level(&self, level: Level) -> i64 {
        self.sum(|l, t| l == level.as_str() && self.topic_ok(t))
    }

    /// What ticking this topic would show, the level filter kept.
    pub(super) fn topic(&self, slug: &str) -> i64 {
        self.sum(|l, t| t == slug && self.level_ok(l))
    }
}

impl SummaryRow {
    pub(super) fn into_summary(self) -> Option<QuestionSummary> {
        Some(QuestionSummary {
            level: self.level,
            slug: self.slug,
            topic_slug: self.topic_slug,
            topic_name: self.topic_name,
            prompt: self.prompt,
            snippet: self.snippet.map(|s| plain_snippet(&s)),
        })
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct DetailRow {
    pub(super) id: i64,
    pub(super) slug: String,
    pub(super) topic_slug: String,
    pub(super) topic_name: String,
    pub(super) behavioral: bool,
    pub(super) level: Level,
    pub(super) prompt: String,
    pub(super) answer_html: String,
    pub(super) key_points: String,
    pub(super) mistakes: String,
    pub(super) follow_ups: String,
    pub(super) archived: bool,
}

/// One question, with its neighbours in `filter`'s ordering.
pub async fn detail(
    pool: &Pool,
    slug: &str,
    filter: &QuestionFilter,
) -> Result<Option<QuestionDetail>, sqlx::Error> {
    let row: Option<DetailRow> = sqlx::query_as(
        "SELECT q.id, q.slug, t.slug AS topic_slug, t.name AS topic_name, t.behavioral,
                q.level, q.prompt, q.answer_html, q.key_points, q.mistakes, q.follow_ups, q.archived
         FROM questions q JOIN topics t ON t.id = q.topic_id
         WHERE q.slug = $1 AND q.source = 'builtin' AND q.parent_id IS NULL",
    )
    .bind(slug)
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let level = row.level;
    let (prev, next, position) = neighbours(pool, row.id, filter, Scope::Bank).await?;
    Ok(Some(QuestionDetail {
        slug: row.slug,
        topic: TopicInfo {
            slug: row.topic_slug,
            name: row.topic_name,
            behavioral: row.behavioral,
        },
        level,
        prompt: row.prompt,
        answer_html: row.answer_html,
        key_points: serde_json::from_str(&row.key_points).unwrap_or_default(),
        mistakes: serde_json::from_str(&row.mistakes).unwrap_or_default(),
        follow_ups: serde_json::from_str(&row.follow_ups).unwrap_or_default(),
        archived: row.archived,
        prev,
        next,
        position,
    }))
}

pub(super) type Neighbours = (Option<String>, Option<String>, Option<(i64, i64)>);

/// Previous and next slugs around `id` in the list `filter` describes, in
/// the same order the list uses, plus "n of total".
pub(super) async fn neighbours(
    pool: &Pool,
    id: i64,
    filter: &QuestionFilter,
    scope: Scope,
) -> Result<Neighbours, sqlx::Error> {
    let b = bind_filter(filter, scope);
    // The same orderings as `list`: by rank when searching, else by topic
    // and level.
    macro_rules! around {
        ($backend:ident, $order:literal) => {
            concat!(
                "WITH ordered AS (
                     SELECT q.id, q.slug,
                            lag(q.slug) OVER w AS prev, lead(q.slug) OVER w AS next,
                            row_number() OVER w AS n, count(*) OVER () AS total ",
                filtered!($backend),
                " WINDOW w AS (ORDER BY ",
                $order,
                "))
                 SELECT prev, next, n, total FROM ordered WHERE id = $4"
            )
        };
    }
    let sql = match (b.fts.is_some(), POSTGRES) {
        (true, false) => around!(
            sqlite,
            "(SELECT rank FROM questions_fts WHERE questions_fts MATCH $3 AND rowid = q.id), q.id"
        ),
        (true, true) => around!(
            postgres,
            "ts_rank_cd(q.search, to_tsquery('simple', $3), 1) DESC, q.id"
        ),
        (false, false) => around!(
            sqlite,
            "t.position, CASE q.level WHEN 'beginner' THEN 0 WHEN 'intermediate' THEN 1 ELSE 2 END, q.id"
        ),
        (false, true) => around!(
            postgres,
            "t.position, CASE q.level WHEN 'beginner' THEN 0 WHEN 'intermediate' THEN 1 ELSE 2 END, q.id"
        ),
    };
    #[derive(sqlx::FromRow)]
    struct Around {
        prev: Option<String>,
        next: Option<String>,
        n: i64,
        total: i64,
    }
    let row: Option<Around> = sqlx::query_as(sql)
        .bind(&b.levels)
        .bind(&b.topics)
        .bind(&b.fts)
        .bind(id)
        .bind(None::<i64>)
        .bind(b.bank)
        .bind(b.owner)
        .fetch_optional(pool)
        .await?;
    Ok(match row {
        Some(r) => (r.prev, r.next, Some((r.n, r.total))),
        None => (None, None, None),
    })
}

/// A random live question, for "try one now".
pub async fn random(pool: &Pool) -> Result<Option<DrawnQuestion>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Drawn {
        slug: String,
        prompt: String,
        level: Level,
        topic_name: String,
    }
    // The first live question from a random id below the largest, in one
    // statement (SQLite's random() is a 64-bit integer, PostgreSQL's a
    // fraction).
    macro_rules! from_random_id {
        ($start:literal) => {
            concat!(
                "SELECT q.slug, q.prompt, q.level, t.name AS topic_name
                 FROM questions q JOIN topics t ON t.id = q.topic_id
                 WHERE q.archived = FALSE AND q.source = 'builtin' AND q.parent_id IS NULL
                   AND q.id >= (SELECT ",
                $start,
                " FROM questions)
                 ORDER BY q.id LIMIT 1"
            )
        };
    }
    let row: Option<Drawn> = sqlx::query_as(if POSTGRES {
        from_random_id!("CAST(floor(random() * (max(id) + 1)) AS BIGINT)")
    } else {
        from_random_id!("abs(random()) % (max(id) + 1)")
    })
    .fetch_optional(pool)
    .await?;
    let row = match row {
        Some(row) => Some(row),
        // The random id fell past the last live question: take the first.
        None => {
            sqlx::query_as(
                "SELECT q.slug, q.prompt, q.level, t.name AS topic_name FROM questions q
             JOIN topics t ON t.id = q.topic_id
             WHERE q.archived = FALSE AND q.source = 'builtin' AND q.parent_id IS NULL ORDER BY q.id LIMIT 1",
            )
            .fetch_optional(pool)
            .await?
        }
    };
    Ok(row.map(|r| DrawnQuestion {
        level: r.level,
        slug: r.slug,
        prompt: r.prompt,
        topic_name: r.topic_name,
    }))
}

pub async fn topics(pool: &Pool) -> Result<Vec<TopicInfo>, sqlx::Error> {
    let rows: Vec<(String, String, bool)> =
        sqlx::query_as("SELECT slug, name, behavioral FROM topics ORDER BY position")
            .fetch_all(pool)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(slug, name, behavioral)| TopicInfo {
            slug,
            name,
            behavioral,
        })
        .collect())
}

/// Level and topic totals for the home page.
pub async fn bank_size(pool: &Pool) -> Result<(i64, i64), sqlx::Error> {
    sqlx::query_as(
        "SELECT (SELECT count(*) FROM questions WHERE archived = FALSE AND source = 'builtin' AND parent_id IS NULL),
                (SELECT count(*) FROM topics)",
    )
    .fetch_one(pool)
    .await
}
