//! Typed errors of the library. Each names the file and the key (dotted
//! path) and says what is allowed.

use std::fmt;

/// Names written as code in a message: each in backticks, joined by
/// commas (`` `a`, `b` ``), as every "allowed …" list of the errors is.
pub fn code_list<T: fmt::Display>(names: impl IntoIterator<Item = T>) -> String {
    names
        .into_iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One problem found while checking a scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Dotted path of the key, e.g. `ly.find_job[0].p`.
    pub key: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "key `{}`: {}", self.key, self.message)
    }
}

/// Why a scenario could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// The cause is the source, which the error chain prints once.
    #[error("cannot read scenario file `{file}`")]
    Read {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("`{file}` is not valid TOML: {message}")]
    Syntax { file: String, message: String },
    #[error("`{file}`: {problem}")]
    Key { file: String, problem: Problem },
    #[error("`{file}`: --set `{arg}`: {message}")]
    Set {
        file: String,
        arg: String,
        message: String,
    },
    #[error("`{file}` has {} problem(s):\n{}", problems.len(), list(problems))]
    Invalid {
        file: String,
        problems: Vec<Problem>,
    },
    /// Not the user's input: a resolved scenario that did not serialise.
    #[error(transparent)]
    Serialize(#[from] SerializeError),
}

fn list(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| format!("  - {p}"))
        .collect::<Vec<_>>()
        .join("\n")
}

impl ScenarioError {
    /// Whether the user's input is at fault (exit 2) rather than fleksim.
    pub fn is_input(&self) -> bool {
        !matches!(self, ScenarioError::Serialize(_))
    }

    /// The first offending key, if the error names one.
    pub fn key(&self) -> Option<&str> {
        match self {
            ScenarioError::Key { problem, .. } => Some(&problem.key),
            ScenarioError::Invalid { problems, .. } => problems.first().map(|p| p.key.as_str()),
            _ => None,
        }
    }
}

/// Invalid input other than a scenario (a sweep file, a results folder, a
/// flag combination): the CLI exits 2. The message names the file, the key
/// and what is allowed.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct InputError(pub String);

/// A scenario that cannot be written back as text (TOML or JSON). Not the
/// user's input but a failure (exit 1): nothing is hashed or written from
/// a scenario that did not serialise.
#[derive(Debug, thiserror::Error)]
#[error("cannot write scenario `{scenario}` as {format}: {message}")]
pub struct SerializeError {
    pub scenario: String,
    pub format: &'static str,
    pub message: String,
}

impl SerializeError {
    /// A scenario as JSON, for a manifest.
    pub fn json(s: &crate::model::scenario::Scenario) -> Result<serde_json::Value, SerializeError> {
        serde_json::to_value(s).map_err(|e| SerializeError {
            scenario: s.name.clone(),
            format: "JSON",
            message: e.to_string(),
        })
    }
}
