package dev.eff.interpreter.cli;

import dev.eff.accelerators.Backend;
import dev.eff.dsl.Frontend;
import dev.eff.dsl.diag.Diagnostic;
import dev.eff.interpreter.compile.CompileException;
import dev.eff.interpreter.compile.ModelCompiler;
import dev.eff.interpreter.run.JobReport;
import dev.eff.interpreter.run.ExitPlot;
import dev.eff.interpreter.run.JobPlot;
import dev.eff.interpreter.run.LoadPlot;
import dev.eff.interpreter.run.Reports;
import dev.eff.interpreter.run.ResumeException;
import dev.eff.interpreter.run.ResultsTable;
import dev.eff.interpreter.run.RunReport;
import dev.eff.interpreter.run.Runner;
import dev.eff.dsl.check.TrainJob;
import dev.eff.dsl.source.Span;
import dev.eff.interpreter.run.OutputCheck;
import dev.eff.interpreter.run.Profiles;
import dev.eff.interpreter.train.RunFailure;
import dev.eff.interpreter.train.StopFlag;
import dev.eff.interpreter.train.TrainingInterrupted;
import dev.eff.stdlib.DataException;
import dev.eff.stdlib.Registry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import dev.eff.interpreter.hooks.HookPolicy;
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

    @Option(names = "--steps", paramLabel = "N",
            description = "Train every model for N steps (N ≥ 1) instead of the script's steps or epochs.")
    Long steps;

    @Option(names = "--eval-limit", paramLabel = "N", description = "Evaluate on the first N examples of each split only (quick runs).")
    long evalLimit;

    @Option(names = "--checkpoint-every", paramLabel = "N", defaultValue = "500",
            description = "Steps between checkpoints for train statements with a checkpoint path (default ${DEFAULT-VALUE}; 0: only at the end).")
    long checkpointEvery;

    @Option(names = "--resume", description = "Continue each train statement from its checkpoint's resume file, when it has one; "
            + "the losses are those of an uninterrupted run.")
    boolean resume;

    @Option(names = HookPolicy.FLAG, description = "Run the script's Groovy hooks (custom losses, metrics, callbacks): code that can do "
            + "anything the JVM can, so allow it only for scripts you trust.")
    boolean allowHooks;

    @Option(names = "--verbose", description = "Log ND4J's information messages and show stack traces of internal errors.")
    boolean verbose;

    @Option(names = "--profile", paramLabel = "TRACE",
            description = "Time every op of each train statement's steps: print the slowest ops per step, write a Chrome trace (JSON) to TRACE.")
    Path profile;

    @Option(names = "--profile-steps", paramLabel = "N", defaultValue = "5",
            description = "Steps to profile with --profile, after the warm-up (default ${DEFAULT-VALUE}).")
    long profileSteps;

    @Option(names = "--profile-warmup", paramLabel = "N", defaultValue = "2",
            description = "Steps run before profiling starts, while memory and caches settle (default ${DEFAULT-VALUE}).")
    long profileWarmup;

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        if (steps != null && (steps < 1 || steps > TrainJob.MAX_STEPS)) {
            err.println("eff: --steps must be between 1 and " + TrainJob.MAX_STEPS + ", got " + steps);
            return EffCli.USAGE;
        }
        if (profileSteps < 1 || profileWarmup < 0) {
            err.println("eff: --profile-steps must be at least 1 and --profile-warmup not negative");
            return EffCli.USAGE;
        }
        if (checkpointEvery < 0 || evalLimit < 0) {
            err.println("eff: --checkpoint-every and --eval-limit must not be negative");
            return EffCli.USAGE;
        }
        if (ScriptOptions.missing(java.util.List.of(file), err)) return EffCli.USAGE;
        Map<String, String> overrides = script.overrides(err);
        if (overrides == null) return EffCli.USAGE;
        Frontend.Result checked = ScriptOptions.check(file, overrides, err);
        if (!checked.ok()) return EffCli.SCRIPT_ERROR;

        Path base = file.toAbsolutePath().getParent();
        Map<String, Path> jsonFiles = new java.util.LinkedHashMap<>();
        if (report != null) jsonFiles.put("--report", report);
        if (profile != null) jsonFiles.put("--profile", profile);
        OutputCheck.Result outputs = OutputCheck.checkNamed(checked.program(), base, jsonFiles);
        for (Path p : outputs.removedTemporaries()) err.println("note: removed " + p + ", left by an interrupted checkpoint write");
        for (OutputCheck.Problem p : outputs.problems()) err.print(render(p.span(), p.message(), p.hint()));
        if (!outputs.ok()) {
            err.flush();
            return EffCli.FAILED;
        }

        PrintStream out = root.out;
        boolean terminal = System.console() != null && out == System.out && !verbose;
        Progress progress = new Progress(out, terminal ? Terminals.width() : 0, Terminals.colour(terminal, System.getenv("NO_COLOR")));
        Backend.Choice backend = Backend.configure();
        if (backend.warning() != null) err.println("warning: " + backend.warning());
        StopFlag stop = new StopFlag();
        Runner runner = new Runner(Registry.standard(), ModelCompiler.standard(), stop)
                .hooks(allowHooks ? HookPolicy.ALLOW : HookPolicy.REFUSE);
        ProfiledRun profiled = profile == null ? null : new ProfiledRun(progress, profileWarmup, profileSteps);
        try (Interrupts interrupts = Interrupts.install(stop, root.err)) {
            RunReport r;
            try {
                r = runner.run(checked.program(), new Runner.Options(file, base, overrides, steps == null ? 0 : steps,
                        checkpointEvery, evalLimit, resume), profiled == null ? progress : profiled);
            } finally {
                progress.endLine();
            }
            out.println();
            out.print(ResultsTable.render(r));
            if (profiled != null) {
                profiled.profiles().forEach((label, p) -> out.print("\n" + Profiles.render(label, p, 15)));
                Profiles.writeTrace(profiled.profiles(), profile);
                out.println("trace written to " + profile + " (open it in chrome://tracing or ui.perfetto.dev)");
            }
            if (report != null) {
                r = withLoadPlots(r, report);
                Reports.write(r, report);
                out.println("report written to " + report);
                for (JobReport job : r.jobs()) {
                    if (job.plots() != null) job.plots().forEach(p -> out.println("plot written to " + report.resolveSibling(p)));
                }
            }
            out.flush();
            return EffCli.OK;
        } catch (DataException e) {
            err.print(render(e.span(), e.getMessage(), e.hint()));
            return EffCli.FAILED;
        } catch (TrainingInterrupted e) {
            err.println("eff: " + e.getMessage() + (e.span() == null ? "" : " (" + e.span().location() + ")"));
            err.println(e.checkpoint() != null ? "eff: checkpoint written to " + e.checkpoint() : "eff: no checkpoint written");
            return Interrupts.EXIT;
        } catch (RunFailure e) {
            err.print(render(e.span(), e.getMessage(), e.hint()));
            return EffCli.FAILED;
        } catch (CompileException e) {
            err.print(render(e.span(), e.getMessage(), e.hint()));
            return EffCli.SCRIPT_ERROR;
        } catch (IOException e) {
            err.println("error: cannot write " + e.getMessage());
            err.println("  hint: check that the folder exists and is writable");
            return EffCli.FAILED;
        } finally {
            err.flush();
        }
    }

    private static String render(Span span, String message, String hint) {
        return span != null ? Diagnostic.error(span, message, hint).render()
                : "error: " + message + (hint == null ? "" : "\n  hint: " + hint) + "\n";
    }

    /**
     * Draws the expert load of every training job that probed one into a PNG beside the report
     * ({@code REPORT-jobN-load.png}), and a program's plot ({@code REPORT-jobN-NAME.png}, see {@link JobPlot}), and
     * names it in the job's report.
     */
    private static RunReport withLoadPlots(RunReport r, Path report) throws IOException {
        String stem = report.getFileName().toString().replaceFirst("\\.json$", "");
        List<JobReport> jobs = new ArrayList<>();
        for (int i = 0; i < r.jobs().size(); i++) {
            JobReport job = r.jobs().get(i);
            Path png = report.resolveSibling(stem + "-job" + (i + 1) + "-load.png");
            if (job.details() instanceof JobPlot plot) {
                png = report.resolveSibling(stem + "-job" + (i + 1) + "-" + plot.plotName() + ".png");
                plot.plot(job.kind() + " " + job.model() + " on " + job.data() + "." + job.split(), png);
                jobs.add(job.withPlots(List.of(png.getFileName().toString())));
                continue;
            }
            Path exits = report.resolveSibling(stem + "-job" + (i + 1) + "-exits.png");
            jobs.add(job.kind().equals("train") && LoadPlot.write(job, png) ? job.withPlots(List.of(png.getFileName().toString()))
                    : job.kind().equals("generate") && ExitPlot.write(job, exits) ? job.withPlots(List.of(exits.getFileName().toString())) : job);
        }
        return new RunReport(r.eff(), r.script(), r.overrides(), r.constants(), jobs, r.seconds());
    }
}
