package dev.eff.interpreter.cli;

import dev.eff.accelerators.Backend;
import dev.eff.interpreter.bundle.Bundle;
import dev.eff.interpreter.bundle.BundleException;
import dev.eff.interpreter.bundle.Weights;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code eff weights export|import}: a bundle's parameters as a NumPy {@code .npz}, by parameter name. */
@Command(name = "weights", mixinStandardHelpOptions = true,
        description = "Export a bundle's parameters to a NumPy .npz, or import them from one (shapes checked).",
        subcommands = {WeightsCommand.Export.class, WeightsCommand.Import.class})
final class WeightsCommand implements Runnable {
    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() { throw new CommandLine.ParameterException(spec.commandLine(), "name a command: export or import"); }

    @Command(name = "export", mixinStandardHelpOptions = true, description = "Write every parameter of a bundle to an .npz, named by model path.")
    static final class Export implements Callable<Integer> {
        @Spec CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "BUNDLE", description = "The bundle (.effb).")
        Path bundle;

        @Option(names = "--to", paramLabel = "FILE", required = true, description = "The .npz to write.")
        Path to;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            if (!to.toString().endsWith(".npz")) return usage(err, "--to names the .npz to write, not " + to);
            if (Files.isRegularFile(to) && !Weights.looksLikeNpz(to)) {
                return fail(err, "refusing to overwrite " + to + ": it is not an .npz archive", "choose a new file for --to");
            }
            Backend.configure();
            try {
                Bundle b = Bundle.read(bundle);
                Weights.export(b, to);
                spec.commandLine().getOut().println(b.manifest().parameters().size() + " parameters of " + b.manifest().model() + " written to " + to);
                return EffCli.OK;
            } catch (BundleException e) {
                return fail(err, e.getMessage(), e.hint());
            } catch (IOException e) {
                return fail(err, "cannot write " + to + ": " + e.getMessage(), null);
            }
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Write a copy of a bundle whose parameters named in an .npz take its values (every shape must match).")
    static final class Import implements Callable<Integer> {
        @Spec CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "BUNDLE", description = "The bundle (.effb) whose model takes the weights.")
        Path bundle;

        @Option(names = "--from", paramLabel = "FILE", required = true, description = "The .npz of arrays named by parameter.")
        Path from;

        @Option(names = "--to", paramLabel = "FILE", required = true, description = "The bundle to write (not BUNDLE itself).")
        Path to;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            if (!to.toString().endsWith(Bundle.EXTENSION)) return usage(err, "--to names the bundle to write, ending in " + Bundle.EXTENSION);
            if (to.toAbsolutePath().normalize().equals(bundle.toAbsolutePath().normalize())) {
                return usage(err, "--to must be a new file: importing keeps " + bundle + " as it is");
            }
            if (Files.isRegularFile(to) && !Bundle.looksLikeBundle(to)) {
                return fail(err, "refusing to overwrite " + to + ": it is not an Eff bundle", "choose a new file for --to");
            }
            Backend.configure();
            try {
                Weights.Imported imported = Weights.importInto(Bundle.read(bundle), from);
                Bundle b = imported.bundle();
                b.write(to);
                spec.commandLine().getOut().println(imported.names().size() + " of " + b.manifest().parameters().size() + " parameters of "
                        + b.manifest().model() + " taken from " + from + ", written to " + to);
                return EffCli.OK;
            } catch (BundleException e) {
                return fail(err, e.getMessage(), e.hint());
            } catch (IOException e) {
                return fail(err, "cannot write " + to + ": " + e.getMessage(), null);
            }
        }
    }

    private static int usage(PrintWriter err, String message) {
        err.println("eff: " + message);
        err.flush();
        return EffCli.USAGE;
    }

    private static int fail(PrintWriter err, String message, String hint) {
        err.println("eff: " + message + (hint == null ? "" : "\n  hint: " + hint));
        err.flush();
        return EffCli.FAILED;
    }
}
