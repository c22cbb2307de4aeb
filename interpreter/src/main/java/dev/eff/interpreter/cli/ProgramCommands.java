package dev.eff.interpreter.cli;

import dev.eff.accelerators.Backend;
import dev.eff.dsl.Frontend;
import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.CheckedProgram;
import dev.eff.dsl.check.Job;
import dev.eff.dsl.check.Kind;
import dev.eff.dsl.check.ProgramJob;
import dev.eff.dsl.check.SettingValues;
import dev.eff.dsl.check.TrainJob;
import dev.eff.dsl.check.Value;
import dev.eff.dsl.diag.Diagnostic;
import dev.eff.interpreter.compile.ModelCompiler;
import dev.eff.interpreter.programs.Program;
import dev.eff.interpreter.run.OutputCheck;
import dev.eff.interpreter.run.Runner;
import dev.eff.interpreter.train.RunFailure;
import dev.eff.stdlib.DataException;
import dev.eff.stdlib.Registry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What {@code eff predict} and {@code eff generate} share: find the script's train statement whose model the program
 * can use, load the weights its checkpoint holds (without training), and run the program with settings from the
 * command line, checked against the program's signature.
 */
final class ProgramCommands {
    private ProgramCommands() {}

    static int run(EffCli root, PrintWriter err, Path file, ScriptOptions script, String programName, String modelName,
                   String split, Map<String, Value> settings) {
        if (ScriptOptions.missing(List.of(file), err)) return EffCli.USAGE;
        Map<String, String> overrides = script.overrides(err);
        if (overrides == null) return EffCli.USAGE;
        Frontend.Result checked = ScriptOptions.check(file, overrides, err);
        if (!checked.ok()) return EffCli.SCRIPT_ERROR;
        Program program = (Program) Registry.standard().lookup(Kind.PROGRAM, programName).get(0);
        Args args;
        try {
            args = SettingValues.bind(program.signature(), settings);
        } catch (IllegalArgumentException e) {
            err.println("eff: " + e.getMessage());
            return EffCli.USAGE;
        }
        TrainJob train = null;
        String reason = null;
        for (Job j : checked.program().jobs()) {
            if (!(j instanceof TrainJob t) || modelName != null && !t.model().name().equals(modelName)) continue;
            try {
                program.check(args, t.model(), t.data());
                train = t;
            } catch (dev.eff.dsl.check.ProgramSpec.Problem e) {
                reason = e.getMessage();
            }
        }
        if (train == null) {
            err.println("eff: " + file + " trains no model " + programName + " can use"
                    + (modelName == null ? "" : " named '" + modelName + "'") + (reason == null ? "" : ": " + reason));
            return EffCli.SCRIPT_ERROR;
        }
        Path base = file.toAbsolutePath().getParent();
        Path checkpoint = OutputCheck.checkpointPath(train, base);
        if (checkpoint == null) {
            err.print(Diagnostic.error(train.span(), "this train statement of " + train.model().instance() + " writes no checkpoint, so "
                    + programName + " has no trained weights to load", "add checkpoint = \"runs/" + train.model().name()
                    + ".sd\" to its settings and train it with 'eff run " + file + "'").render());
            return EffCli.FAILED;
        }
        if (!Files.isRegularFile(checkpoint)) {
            err.println("eff: no checkpoint at " + checkpoint + " yet: model " + train.model().instance() + " has not been trained");
            err.println("  hint: train it first with 'eff run " + file + "' (the train statement at " + train.span().location() + " writes it)");
            return EffCli.FAILED;
        }
        String chosenSplit = split == null ? program.defaultSplit() : split;
        if (!train.data().schema().splits().contains(chosenSplit)) {
            err.println("eff: data '" + train.data().name() + "' has no split '" + chosenSplit + "' (its splits: "
                    + String.join(", ", train.data().schema().splits()) + ")");
            return EffCli.USAGE;
        }
        ProgramJob job = new ProgramJob(train.span(), new Value.Call(programName, null, args.values(), train.span(), program),
                train.model(), train.data(), chosenSplit);
        OutputCheck.Result outputs = OutputCheck.check(new CheckedProgram(Map.of(), Map.of(), Map.of(), List.of(job)), Path.of("."), null);
        for (OutputCheck.Problem p : outputs.problems()) err.println("eff: " + p.message() + "\n  hint: " + p.hint());
        if (!outputs.ok()) return EffCli.FAILED;
        Backend.Choice backend = Backend.configure();
        if (backend.warning() != null) err.println("warning: " + backend.warning());
        Progress progress = new Progress(root.out, 0, Terminals.colour(System.console() != null && root.out == System.out, System.getenv("NO_COLOR")));
        dev.eff.interpreter.train.StopFlag stop = new dev.eff.interpreter.train.StopFlag();
        try (Interrupts interrupts = Interrupts.install(stop, root.err)) {
            new Runner(Registry.standard(), ModelCompiler.standard(), stop)
                    .runFromCheckpoint(job, train.seed(), checkpoint, new Runner.Options(file, base, overrides, 0, 0, 0), progress);
            root.out.flush();
            return stop.requested() ? Interrupts.EXIT : EffCli.OK;
        } catch (DataException e) {
            err.print(render(e.span(), e.getMessage(), e.hint()));
            return EffCli.FAILED;
        } catch (RunFailure e) {
            err.print(render(e.span(), e.getMessage(), e.hint()));
            return EffCli.FAILED;
        } catch (IOException e) {
            err.println("eff: cannot write " + e.getMessage());
            return EffCli.FAILED;
        } finally {
            err.flush();
        }
    }

    private static String render(dev.eff.dsl.source.Span span, String message, String hint) {
        return span != null ? Diagnostic.error(span, message, hint).render()
                : "error: " + message + (hint == null ? "" : "\n  hint: " + hint) + "\n";
    }
}
