package dev.eff.interpreter.cli;

import dev.eff.interpreter.run.Eff;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code eff} command. Exit codes: 0 success, 1 a run failed (data, divergence, I/O), 2 bad usage,
 * 65 the script has errors. Only the CLI prints; the library reports through values and exceptions.
 */
@Command(name = "eff", mixinStandardHelpOptions = true, versionProvider = EffCli.Version.class,
        description = "Check, summarise and run .eff deep-learning scripts.",
        subcommands = {RunCommand.class, CheckCommand.class, SummaryCommand.class, PredictCommand.class, GenerateCommand.class, BenchCommand.class,
                WeightsCommand.class, VersionCommand.class, DocCommand.class},
        usageHelpAutoWidth = true)
public final class EffCli implements Runnable {
    public static final int OK = 0, FAILED = 1, USAGE = 2, SCRIPT_ERROR = 65;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** The raw streams, for the progress bar (picocli's writers wrap them). */
    PrintStream out = System.out, err = System.err;

    @Override
    public void run() { throw new CommandLine.ParameterException(spec.commandLine(), "name a command: run, check, summary, predict, generate, bench, weights, version or doc"); }

    public static void main(String[] args) {
        Logging.configure(java.util.Arrays.asList(args).contains("--verbose"));
        System.exit(execute(args, System.out, System.err));
    }

    /** Runs one command line with the given streams; returns the exit code. */
    public static int execute(String[] args, PrintStream out, PrintStream err) {
        EffCli root = new EffCli();
        root.out = out;
        root.err = err;
        CommandLine cl = new CommandLine(root);
        cl.setOut(new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true));
        cl.setErr(new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true));
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            line.getErr().println("eff: internal error: " + ex);
            if (Logging.verbose()) ex.printStackTrace(line.getErr());
            else line.getErr().println("  (run with --verbose for the Java stack trace, and please report it)");
            return FAILED;
        });
        return cl.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override public String[] getVersion() { return new String[] {"Eff " + Eff.VERSION}; }
    }
}
