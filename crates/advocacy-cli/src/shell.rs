//! `advocacy completions SHELL` and `advocacy man`: generated from the command's own argument
//! definitions, so they always list the subcommands and options this build has.
//!
//! `advocacy man` prints one manual page: the command (synopsis, options, the list of
//! subcommands), then a section per subcommand (`ADVOCACY SCORE`, `ADVOCACY MODEL CHECK`, ...)
//! with its synopsis, description and options; `advocacy man | man -l -` reads it.
//! `advocacy man --dir DIR` writes one page per command instead (`advocacy.1`,
//! `advocacy-score.1`, ...), as a package installs them under `share/man/man1`.

use std::io::Write;
use std::process::ExitCode;

use clap::Args;

/// `advocacy completions`.
#[derive(Args)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

/// `advocacy man`.
#[derive(Args)]
pub struct ManArgs {
    /// Write one page per command into this directory (advocacy.1, advocacy-score.1, ...)
    /// instead of one page to standard output.
    #[arg(long, value_name = "DIR")]
    dir: Option<String>,
}

/// Prints the completion script of `shell` for `cmd`.
pub fn completions(a: &CompletionsArgs, cmd: &mut clap::Command) -> Result<ExitCode, String> {
    let mut out = Vec::new();
    clap_complete::generate(a.shell, cmd, "advocacy", &mut out);
    write_stdout(&out)
}

/// Prints the manual page of `cmd` (with every subcommand), or writes one page per command.
pub fn man(a: &ManArgs, cmd: clap::Command) -> Result<ExitCode, String> {
    let mut cmd = cmd.disable_help_subcommand(true);
    cmd.build();
    if let Some(dir) = &a.dir {
        std::fs::create_dir_all(dir).map_err(|e| format!("{dir}: {e}"))?;
        let source = format!("advocacy {}", cmd.get_version().unwrap_or_default());
        return pages_to(&cmd, dir, &source).map(|()| ExitCode::SUCCESS);
    }
    let mut out = Vec::new();
    let page = clap_mangen::Man::new(cmd.clone());
    let io = |e: std::io::Error| e.to_string();
    page.render_title(&mut out).map_err(io)?;
    page.render_name_section(&mut out).map_err(io)?;
    page.render_synopsis_section(&mut out).map_err(io)?;
    page.render_description_section(&mut out).map_err(io)?;
    page.render_options_section(&mut out).map_err(io)?;
    page.render_subcommands_section(&mut out).map_err(io)?;
    for sub in cmd.get_subcommands() {
        subcommand_sections(sub, &mut out)?;
    }
    page.render_version_section(&mut out).map_err(io)?;
    write_stdout(&out)
}

/// Writes the page of `cmd` and of each of its subcommands into `dir` (`advocacy-score.1`).
fn pages_to(cmd: &clap::Command, dir: &str, source: &str) -> Result<(), String> {
    if cmd.is_hide_set() {
        return Ok(());
    }
    for sub in cmd.get_subcommands() {
        pages_to(sub, dir, source)?;
    }
    let page = clap_mangen::Man::new(cmd.clone()).source(source);
    let path = std::path::Path::new(dir).join(page.get_filename());
    let mut out = Vec::new();
    page.render(&mut out).map_err(|e| e.to_string())?;
    std::fs::write(&path, out).map_err(|e| format!("{}: {e}", path.display()))
}

/// A section `.SH "ADVOCACY SCORE"` for `cmd` (its synopsis, description and options as
/// subsections), then one for each of its subcommands.
fn subcommand_sections(cmd: &clap::Command, out: &mut Vec<u8>) -> Result<(), String> {
    if cmd.is_hide_set() {
        return Ok(());
    }
    let name = cmd.get_bin_name().unwrap_or_else(|| cmd.get_name()).to_string();
    writeln!(out, ".SH \"{}\"", name.to_uppercase().replace('"', "")).map_err(|e| e.to_string())?;
    let page = clap_mangen::Man::new(cmd.clone());
    let mut body = Vec::new();
    page.render_synopsis_section(&mut body).map_err(|e| e.to_string())?;
    page.render_description_section(&mut body).map_err(|e| e.to_string())?;
    if cmd.get_arguments().any(|a| !a.is_hide_set()) {
        page.render_options_section(&mut body).map_err(|e| e.to_string())?;
    }
    if cmd.has_subcommands() {
        page.render_subcommands_section(&mut body).map_err(|e| e.to_string())?;
    }
    // The subcommand's sections become subsections of its own section.
    let body = String::from_utf8(body).map_err(|e| e.to_string())?;
    for line in body.lines() {
        match line.strip_prefix(".SH ") {
            Some(title) => writeln!(out, ".SS {title}"),
            None => writeln!(out, "{line}"),
        }
        .map_err(|e| e.to_string())?;
    }
    for sub in cmd.get_subcommands() {
        subcommand_sections(sub, out)?;
    }
    Ok(())
}

fn write_stdout(bytes: &[u8]) -> Result<ExitCode, String> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|_| stdout.flush()) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        // A reader that stops early (`| head`) is not an error of ours.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(e) => Err(e.to_string()),
    }
}
