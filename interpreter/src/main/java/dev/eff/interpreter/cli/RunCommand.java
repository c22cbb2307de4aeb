package dev.eff.interpreter.cli;

import dev.eff.accelerators.Backend;
import dev.eff.dsl.Frontend;
import dev.eff.dsl.diag.Diagnostic;
import dev.eff.interpreter.compile.CompileException;
import dev.eff.interpreter.compile.ModelCompiler;
import dev.eff.interpreter.run.Reports;
import dev.eff.interpreter.run.ResumeException;
import dev.eff.interpreter.run.ResultsTable;
import dev.eff.interpreter.run.RunReport;
import dev.eff.interpreter.run.Runner;
import dev.eff.interpreter.train.TrainingDiverged;
import dev.eff.stdlib.DataException;
import dev.eff.stdlib.Registry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code eff run FILE}: check, then train and evaluate in script order, print the results table. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Check a script, then run its train and evaluate statements.")
final class RunCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @ParentCommand EffCli root;

    @Parameters(index = "0", paramLabel = "FILE", description = "The .eff script.")
    Path file;

    @Mixin ScriptOptions script;

    @Option(names = "--report", paramLabel = "FILE", description = "Write a JSON report (configuration, per-step loss, metrics, timings).")
    Path report;

    @Option(names = "--steps", paramLabel = "N", description = "Train every model for N steps instead of the script's steps or epochs.")
    long steps;

    @Option(names = "--eval-limit", paramLabel = "N", description = "Evaluate on the first N examples of each split only (quick runs).")
    long evalLimit;

    @Option(names = "--checkpoint-every", paramLabel = "N", defaultValue = "500",
            description = "Steps between checkpoints for train statements with a checkpoint path (default ${DEFAULT-VALUE}; 0: only at the end).")
    long checkpointEvery;

    @Option(names = "--resume", description = "Continue each train statement from its checkpoint's resume file, when it has one; "
            + "the losses are those of an uninterrupted run.")
    boolean resume;

    @Option(names = "--verbose", description = "Log ND4J's information messages and show stack traces of internal errors.")
    boolean verbose;

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        if (steps < 0 || checkpointEvery < 0 || evalLimit < 0) {
            err.println("eff: --steps, --checkpoint-every and --eval-limit must not be negative");
            return EffCli.USAGE;
        }
        Map<String, String> overrides = script.overrides(err);
        if (overrides == null) return EffCli.USAGE;
        Frontend.Result checked = ScriptOptions.check(file, overrides, err);
        if (!checked.ok()) return EffCli.SCRIPT_ERROR;

        PrintStream out = root.out;
        Backend.Choice backend = Backend.configure();
        if (backend.warning() != null) err.println("warning: " + backend.warning());
        Path base = file.toAbsolutePath().getParent();
        Runner runner = new Runner(Registry.standard(), ModelCompiler.standard());
        try {
            RunReport r = runner.run(checked.program(), new Runner.Options(file, base, overrides, steps, checkpointEvery, evalLimit, resume),
                    new Progress(out, System.console() != null && out == System.out && !verbose));
            out.println();
            out.print(ResultsTable.render(r));
            if (report != null) {
                Reports.write(r, report);
                out.println("report written to " + report);
            }
            out.flush();
            return EffCli.OK;
        } catch (DataException e) {
            err.println("error: " + e.getMessage());
            if (e.hint() != null) err.println("  hint: " + e.hint());
            return EffCli.FAILED;
        } catch (ResumeException e) {
            err.print(Diagnostic.error(e.span(), e.getMessage(), e.hint()).render());
            return EffCli.FAILED;
        } catch (TrainingDiverged e) {
            err.print(Diagnostic.error(e.span(), e.getMessage(), e.hint()).render());
            return EffCli.FAILED;
        } catch (CompileException e) {
            err.print(e.span() != null ? Diagnostic.error(e.span(), e.getMessage(), e.hint()).render()
                    : "error: " + e.getMessage() + (e.hint() == null ? "" : "\n  hint: " + e.hint()) + "\n");
            return EffCli.SCRIPT_ERROR;
        } catch (IOException e) {
            err.println("error: cannot write " + e.getMessage());
            err.println("  hint: check that the folder exists and is writable");
            return EffCli.FAILED;
        } finally {
            err.flush();
        }
    }
}
