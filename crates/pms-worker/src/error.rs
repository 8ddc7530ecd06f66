//! Why a job failed: what it was doing and the error underneath, so that the scheduler logs one
//! line that says both, and the metrics count the failure against the job.

use std::error::Error as StdError;

type Source = Box<dyn StdError + Send + Sync>;

/// A job's failure. Jobs attach what they were doing with [`JobContextExt::doing`].
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// An operation failed: `doing` names it ("refreshing rollups"), `source` is why.
    #[error("{doing}: {source}")]
    Failed {
        doing: String,
        #[source]
        source: Source,
    },
    /// The scheduler could not run the job at all (no connection, its advisory lock).
    #[error("job {job}: {doing}: {source}")]
    Scheduler {
        job: &'static str,
        doing: &'static str,
        #[source]
        source: sqlx::Error,
    },
    /// The job ran and found something wrong that is not an error of an operation.
    #[error("{0}")]
    Refused(String),
}

impl From<String> for JobError {
    fn from(message: String) -> Self {
        JobError::Refused(message)
    }
}

/// `.doing("what")` on any result whose error is an error type: the job's `.context`.
pub trait JobContextExt<T> {
    fn doing(self, what: impl Into<String>) -> Result<T, JobError>;
}

impl<T, E: StdError + Send + Sync + 'static> JobContextExt<T> for Result<T, E> {
    fn doing(self, what: impl Into<String>) -> Result<T, JobError> {
        self.map_err(|e| JobError::Failed {
            doing: what.into(),
            source: Box::new(e),
        })
    }
}

/// What every job returns: its report (logged and shown by `pms maintenance run`) or why not.
pub type JobResult<T> = Result<T, JobError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_says_what_and_why() {
        let e: Result<(), std::io::Error> = Err(std::io::Error::other("disk full"));
        let e = e.doing("writing the archive").unwrap_err();
        assert_eq!(e.to_string(), "writing the archive: disk full");
        assert!(e.source().is_some());
        let r: JobError = String::from("audit chain broken").into();
        assert_eq!(r.to_string(), "audit chain broken");
    }
}
