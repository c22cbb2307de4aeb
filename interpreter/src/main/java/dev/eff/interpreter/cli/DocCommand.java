package dev.eff.interpreter.cli;

import dev.eff.interpreter.run.ComponentReference;
import dev.eff.stdlib.Registry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code eff doc}: the component reference in Markdown, generated from the registered signatures. */
@Command(name = "doc", mixinStandardHelpOptions = true, description = "Write the component reference (Markdown) generated from the standard library.")
final class DocCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of standard output.")
    Path output;

    @Override
    public Integer call() {
        String md = ComponentReference.markdown(Registry.standard().all());
        if (output == null) {
            spec.commandLine().getOut().print(md);
            spec.commandLine().getOut().flush();
            return EffCli.OK;
        }
        try {
            Files.writeString(output, md);
            return EffCli.OK;
        } catch (IOException e) {
            spec.commandLine().getErr().println("error: cannot write " + output + ": " + e.getMessage());
            return EffCli.FAILED;
        }
    }
}
