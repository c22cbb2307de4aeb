package dev.eff.interpreter.cli;

import dev.eff.accelerators.Backend;
import dev.eff.dsl.Frontend;
import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.Job;
import dev.eff.dsl.check.Kind;
import dev.eff.dsl.check.ProgramJob;
import dev.eff.dsl.check.ProgramSpec;
import dev.eff.dsl.check.Value;
import dev.eff.dsl.source.Source;
import dev.eff.interpreter.bundle.Bundle;
import dev.eff.interpreter.bundle.BundleException;
import dev.eff.interpreter.compile.ModelCompiler;
import dev.eff.interpreter.programs.Calibration;
import dev.eff.interpreter.programs.Program;
import dev.eff.interpreter.run.Runner;
import dev.eff.interpreter.train.RunFailure;
import dev.eff.interpreter.train.StopFlag;
import dev.eff.stdlib.DataException;
import dev.eff.stdlib.Registry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code eff generate model.effb --prompt ...}: text from a saved language model, without its script file or data. The
 * bundle's own copy of the script declares the model (decoding compiles its step graphs from it), the bundle's weights
 * fill it, and the calibration saved with it sets the early-exit threshold.
 */
final class BundleGenerate {
    private BundleGenerate() {}

    static int run(EffCli root, PrintWriter err, Path file, Map<String, Value> settings, Progress progress) {
        Bundle bundle;
        try {
            bundle = Bundle.read(file);
        } catch (BundleException e) {
            err.println("eff: " + e.getMessage() + (e.hint() == null ? "" : "\n  hint: " + e.hint()));
            return EffCli.FAILED;
        }
        Bundle.Manifest m = bundle.manifest();
        Frontend.Result checked = Frontend.check(new Source(file + " (its script.eff)", bundle.script()), file, Registry.standard(),
                Map.of(), Map.of());
        if (!checked.ok()) {
            err.print(checked.diagnostics().render());
            err.println("eff: the script saved in " + file + " does not check with this Eff, so its model cannot be rebuilt for decoding");
            return EffCli.SCRIPT_ERROR;
        }
        Job declared = checked.program().jobs().stream().filter(j -> j.model().instance().equals(m.model())).findFirst().orElse(null);
        if (declared == null) {
            err.println("eff: the script saved in " + file + " has no statement on model " + m.model());
            return EffCli.FAILED;
        }
        Program program = (Program) Registry.standard().lookup(Kind.PROGRAM, "generate").get(0);
        Args args = dev.eff.dsl.check.SettingValues.bind(program.signature(), settings);
        try {
            program.check(args, declared.model(), declared.data());
        } catch (ProgramSpec.Problem e) {
            err.println("eff: model " + m.model() + " of " + file + " cannot generate: " + e.getMessage()
                    + (e.hint() == null ? "" : "\n  hint: " + e.hint()));
            return EffCli.SCRIPT_ERROR;
        }
        ProgramJob job = new ProgramJob(declared.span(), new Value.Call("generate", null, args.values(), declared.span(), program),
                declared.model(), declared.data(), program.defaultSplit());
        Map<String, INDArray> weights = bundle.weights();
        String prefix = m.namespace().isEmpty() ? "" : m.namespace() + "/";
        Calibration.Stored calibration = m.calibration() == null ? null : new Calibration.Stored(m.calibration(), "bundle " + file);
        Backend.Choice backend = Backend.configure();
        if (backend.warning() != null) err.println("warning: " + backend.warning());
        StopFlag stop = new StopFlag();
        try (Interrupts interrupts = Interrupts.install(stop, root.err)) {
            new Runner(Registry.standard(), ModelCompiler.standard(), stop).runWithWeights(job, m.seed(),
                    name -> name.startsWith(prefix) ? weights.get(name.substring(prefix.length())) : null, calibration,
                    "bundle " + file, new Runner.Options(file, file.toAbsolutePath().getParent(), Map.of(), 0, 0, 0), progress);
            root.out.flush();
            return stop.requested() ? Interrupts.EXIT : EffCli.OK;
        } catch (RunFailure e) {
            err.println("eff: " + e.getMessage() + (e.hint() == null ? "" : "\n  hint: " + e.hint()));
            return EffCli.FAILED;
        } catch (DataException | IOException e) {
            err.println("eff: " + e.getMessage());
            return EffCli.FAILED;
        } finally {
            err.flush();
        }
    }
}
