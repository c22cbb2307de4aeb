package dev.eff.interpreter.cli;

import dev.eff.dsl.check.Value;
import java.nio.file.Path;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code eff predict FILE --to preds.csv}: per-example predictions of the script's trained model, loaded from its checkpoint. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Write the predictions of the model a script trains, loaded from its checkpoint (no training), or of a bundle, to CSV or JSON.")
final class PredictCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @ParentCommand EffCli root;

    @Parameters(index = "0", paramLabel = "FILE", description = "The .eff script whose train statement wrote the checkpoint, or a bundle (.effb).")
    Path file;

    @Mixin ScriptOptions script;

    @Option(names = "--to", paramLabel = "FILE", required = true, description = "The file to write: .csv or .json.")
    Path to;

    @Option(names = "--split", paramLabel = "NAME", description = "The data split to predict (default: test).")
    String split;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "256", description = "Examples per forward pass (default ${DEFAULT-VALUE}).")
    long batch;

    @Option(names = "--input", paramLabel = "[NAME=]FILE", description = "With a bundle: the inputs, a .npy array (NAME= for one of several inputs) or an .npz holding each (repeatable).")
    List<String> inputs = List.of();

    @Option(names = "--model", paramLabel = "NAME", description = "The model to use when the script trains several (default: the last).")
    String model;

    @Override
    public Integer call() {
        if (file.toString().endsWith(dev.eff.interpreter.bundle.Bundle.EXTENSION)) {
            return BundlePredict.run(spec.commandLine().getOut(), spec.commandLine().getErr(), file, inputs, to, batch);
        }
        Map<String, Value> settings = new LinkedHashMap<>();
        settings.put("to", new Value.Str(to.toAbsolutePath().toString()));
        settings.put("batch", new Value.Int(batch));
        return ProgramCommands.run(root, spec.commandLine().getErr(), file, script, "predict", model, split, settings);
    }
}
