//! Confirmation before anything is destroyed. `--yes` answers for scripts; without a terminal and
//! without `--yes` devctl refuses (exit 2) and names the flag, rather than waiting on a prompt
//! nobody sees. The prompt runs on a blocking thread, so Ctrl-C still ends the run; the cursor is
//! shown again when devctl exits.

use console::Term;

use crate::Error;

/// Asks `question` on the terminal unless `yes`. `Ok(())` to go on; `Err(Refused)` otherwise.
pub async fn confirm(question: &str, yes: bool) -> Result<(), Error> {
    if yes {
        return Ok(());
    }
    if !Term::stderr().is_term() || !console::user_attended_stderr() {
        return Err(Error::Refused {
            message: "refusing to continue without confirmation: no terminal to ask on".into(),
            hint: Some("pass --yes to confirm in scripts".into()),
        });
    }
    let question = question.to_string();
    let answer = tokio::task::spawn_blocking(move || {
        dialoguer::Confirm::new()
            .with_prompt(question)
            .default(false)
            .interact_on(&Term::stderr())
    })
    .await
    .map_err(|e| Error::Usage {
        message: format!("the prompt failed: {e}"),
        hint: None,
    })?;
    match answer {
        Ok(true) => Ok(()),
        Ok(false) => Err(Error::Refused {
            message: "cancelled: nothing was changed".into(),
            hint: Some("pass --yes to skip the question".into()),
        }),
        Err(e) => Err(Error::Refused {
            message: format!("cannot ask for confirmation: {e}"),
            hint: Some("pass --yes to confirm in scripts".into()),
        }),
    }
}

/// Shows the cursor again, in case a prompt was interrupted while it was hidden.
pub fn restore_terminal() {
    let _ = Term::stderr().show_cursor();
}
