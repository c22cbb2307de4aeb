package dev.eff.interpreter.cli;

import dev.eff.dsl.check.Value;
import java.nio.file.Path;
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

/**
 * {@code eff generate FILE --prompt "..." --tokens N}: text from the script's trained language model, loaded from its
 * checkpoint, or from a bundle ({@code model.effb}).
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate text from the causal language model a script trains, loaded from its checkpoint, or from a bundle (no training).")
final class GenerateCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @ParentCommand EffCli root;

    @Parameters(index = "0", paramLabel = "FILE", description = "The .eff script whose train statement wrote the checkpoint, or a bundle (.effb).")
    Path file;

    @Mixin ScriptOptions script;

    @Option(names = "--prompt", paramLabel = "TEXT", description = "The text to continue (default: a newline).")
    String prompt;

    @Option(names = "--tokens", paramLabel = "N", defaultValue = "200", description = "Tokens to generate (default ${DEFAULT-VALUE}).")
    long tokens;

    @Option(names = "--temperature", paramLabel = "T", defaultValue = "1.0", description = "Sampling temperature; 0 is greedy (default ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--top-k", paramLabel = "K", defaultValue = "0", description = "Sample among the K most likely tokens (default: all).")
    long topK;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Seed of the sampling (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--no-cache", description = "Run the whole model for every token instead of decoding with key/value caches.")
    boolean noCache;

    @Option(names = "--model", paramLabel = "NAME", description = "The model to use when the script trains several (default: the last).")
    String model;

    @Override
    public Integer call() {
        Map<String, Value> settings = new LinkedHashMap<>();
        if (prompt != null) settings.put("prompt", new Value.Str(prompt));
        settings.put("tokens", new Value.Int(tokens));
        settings.put("temperature", new Value.Float(temperature));
        settings.put("topK", new Value.Int(topK));
        settings.put("seed", new Value.Int(seed));
        settings.put("cache", new Value.Bool(!noCache));
        if (file.toString().endsWith(dev.eff.interpreter.bundle.Bundle.EXTENSION)) {
            return BundleGenerate.run(root, spec.commandLine().getErr(), file, settings, new Progress(root.out, 0,
                    Terminals.colour(System.console() != null && root.out == System.out, System.getenv("NO_COLOR"))));
        }
        return ProgramCommands.run(root, spec.commandLine().getErr(), file, script, "generate", model, null, settings);
    }
}
