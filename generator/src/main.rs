//! The `meridian` command line.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    name = "meridian",
    version,
    about = "Builds the Meridian course: problem specs in, static site out"
)]
struct Cli {
    /// The book root (the folder holding book.toml).
    #[arg(long, global = true, default_value = ".")]
    root: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate everything and build the site.
    Build {
        /// Output folder (default: build.build-dir from book.toml, else `site`).
        #[arg(short = 'd', long = "dest-dir")]
        dest_dir: Option<PathBuf>,
        /// Skip compiling the WebAssembly playground; pages stay complete
        /// (the reference's diagram and results are prerendered).
        #[arg(long)]
        no_playground: bool,
        /// Evaluate every problem's reference again rather than reuse the
        /// last build's results (reused only when nothing they depend on
        /// changed: the problem, the catalog, the regions, the generator).
        #[arg(long)]
        no_cache: bool,
    },
    /// Build, serve on 127.0.0.1, rebuild on changes and reload open pages.
    Serve {
        /// The port to listen on (0 picks a free one).
        #[arg(short, long, default_value_t = 3000)]
        port: u16,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Skip compiling the WebAssembly playground.
        #[arg(long)]
        no_playground: bool,
        /// Output folder (default: build.build-dir from book.toml, else `site`).
        #[arg(short = 'd', long = "dest-dir")]
        dest_dir: Option<PathBuf>,
    },
    /// Validate the problems, catalog, regions and book.toml without building.
    Check {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Simulate a problem's reference solution, or another design, under its workload.
    Simulate {
        /// The problem's YAML file, e.g. problems/multiregion/01-basic-multi-region.yaml.
        problem: PathBuf,
        /// A design to evaluate instead of the reference: a YAML file with
        /// `components` and `connections`, as in a reference solution.
        #[arg(long)]
        topology: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Convert a seed in the source platform's markdown into problem YAML files.
    Import {
        /// The seed markdown file.
        seed: PathBuf,
        /// Folder to write `NN-<id>.yaml` files into, e.g. problems/multiregion.
        #[arg(long)]
        out: PathBuf,
        /// Overwrite existing files.
        #[arg(long)]
        force: bool,
    },
    /// Scaffold problems/<category>/NN-<id>.yaml: every field, a passing reference, comments.
    New {
        /// `<category>/<id>`, e.g. `multiregion/my-problem` (lowercase, digits, dashes).
        target: String,
        /// The problem's title (default: the id in words).
        #[arg(long)]
        title: Option<String>,
        /// easy | foundation | intermediate | advanced.
        #[arg(long, default_value = "easy", value_parser = meridian::new::parse_difficulty)]
        difficulty: meridian_engine::Difficulty,
        /// Overwrite the problem's existing file.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build {
            dest_dir,
            no_playground,
            no_cache,
        } => meridian::cli::build(&cli.root, dest_dir.as_deref(), !no_playground, !no_cache),
        Command::Serve {
            port,
            open,
            no_playground,
            dest_dir,
        } => meridian::cli::serve(&cli.root, port, open, !no_playground, dest_dir),
        Command::Check { format } => meridian::cli::check(&cli.root, format == Format::Json),
        Command::Simulate {
            problem,
            topology,
            format,
        } => meridian::cli::simulate(
            &cli.root,
            &problem,
            topology.as_deref(),
            format == Format::Json,
        ),
        Command::Import { seed, out, force } => {
            meridian::cli::import(&cli.root, &seed, &out, force)
        }
        Command::New {
            target,
            title,
            difficulty,
            force,
        } => meridian::cli::new(&cli.root, target, title, difficulty, force),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            for cause in e.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::FAILURE
        }
    }
}
