package dev.eff.interpreter.cli;

import dev.eff.interpreter.run.ComponentReference;
import dev.eff.interpreter.train.Checkpoints;
import dev.eff.stdlib.Registry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code eff doc}: the component reference in Markdown, generated from the registered signatures; with
 * {@code --update README.md} it replaces the reference section of that file in place.
 */
@Command(name = "doc", mixinStandardHelpOptions = true, description = "Write the component reference (Markdown) generated from the standard library.")
final class DocCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of standard output.")
    Path output;

    @Option(names = "--update", paramLabel = "FILE",
            description = "Replace the text between the reference markers of FILE (e.g. README.md).")
    Path update;

    @Override
    public Integer call() {
        String md = ComponentReference.markdown(Registry.standard().all());
        var err = spec.commandLine().getErr();
        try {
            if (update != null) {
                String text = Files.readString(update);
                int begin = text.indexOf(ComponentReference.BEGIN), end = text.indexOf(ComponentReference.END);
                if (begin < 0 || end < begin) {
                    err.println("error: " + update + " has no reference markers");
                    err.println("  hint: add the lines " + ComponentReference.BEGIN + " and " + ComponentReference.END);
                    return EffCli.FAILED;
                }
                String updated = text.substring(0, begin + ComponentReference.BEGIN.length()) + "\n" + md + text.substring(end);
                writeAtomically(update, updated);
            } else if (output != null) {
                writeAtomically(output, md);
            } else {
                spec.commandLine().getOut().print(md);
                spec.commandLine().getOut().flush();
            }
            return EffCli.OK;
        } catch (IOException e) {
            err.println("error: cannot write " + (update != null ? update : output) + ": " + e.getMessage());
            return EffCli.FAILED;
        }
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        Checkpoints.write(file, tmp -> Files.writeString(tmp, text));
    }
}
