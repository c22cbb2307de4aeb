package dev.eff.interpreter.cli;

import dev.eff.dsl.Frontend;
import dev.eff.interpreter.run.MachineMemory;
import dev.eff.interpreter.run.MemoryEstimate;
import dev.eff.interpreter.run.ModelSummary;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code eff summary FILE}: per model instance, each component's output shape, parameters and FLOPs (no ND4J). */
@Command(name = "summary", mixinStandardHelpOptions = true, description = "Show each model's layers, output shapes, parameters and FLOPs (no training).")
final class SummaryCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The .eff script.")
    Path file;

    @Mixin ScriptOptions script;

    @picocli.CommandLine.Option(names = "--parameters", description = "Also list every parameter by name, shape and role (builds each model with ND4J).")
    boolean parameters;

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        if (ScriptOptions.missing(java.util.List.of(file), err)) return EffCli.USAGE;
        Map<String, String> overrides = script.overrides(err);
        if (overrides == null) return EffCli.USAGE;
        Frontend.Result r = ScriptOptions.check(file, overrides, err);
        if (!r.ok()) return EffCli.SCRIPT_ERROR;
        var out = spec.commandLine().getOut();
        MachineMemory machine = MachineMemory.expectedForRuns();
        if (r.program().models().isEmpty()) out.println("no model is bound to data or declares its inputs, so none has shapes yet");
        if (parameters) dev.eff.accelerators.Backend.configure();
        r.program().models().values().forEach(g -> out.println(ModelSummary.render(g) + MemoryEstimate.forSummary(r.program(), g).describe(machine) + "\n"
                + (parameters ? dev.eff.interpreter.run.ParameterList.render(g) + "\n" : "")));
        out.flush();
        return EffCli.OK;
    }
}
