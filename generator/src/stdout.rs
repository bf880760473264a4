//! Printing to standard output as Unix tools do: when the reader goes away
//! (`meridian check --format json | head -c 100`), the command ends quietly
//! with status 0 instead of panicking as `println!` does on a broken pipe.
//! Every command prints through [`outln!`] and [`out!`]; `clippy::print_stdout`
//! is denied in this crate so that no `println!` slips back in.

use std::fmt;
use std::io::{ErrorKind, Write};

/// Writes and flushes `args`. A closed pipe ends the process with status 0
/// (its reader has all it wanted); any other write error ends it with
/// status 1 and says why on standard error.
pub fn print(args: fmt::Arguments<'_>) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(args).and_then(|()| out.flush()) {
        if e.kind() == ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        let _ = writeln!(std::io::stderr(), "error: writing to standard output: {e}");
        std::process::exit(1);
    }
}

/// `println!` that treats a closed pipe as a normal end (see [`print`]).
#[macro_export]
macro_rules! outln {
    () => {
        $crate::stdout::print(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::stdout::print(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `print!` that treats a closed pipe as a normal end (see [`print`]).
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::stdout::print(format_args!($($arg)*))
    };
}
