package dev.eff.interpreter.cli;

import dev.eff.accelerators.Backend;
import dev.eff.interpreter.run.Eff;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code eff version}: Eff, Java and the native backend in use (starts ND4J to ask it). */
@Command(name = "version", mixinStandardHelpOptions = true, description = "Show the versions of Eff and Java and the native backend.")
final class VersionCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        out.println("Eff " + Eff.VERSION);
        out.println("Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ", "
                + System.getProperty("java.vendor") + ")");
        Backend.describe().forEach((k, v) -> out.println(k + ": " + v));
        out.flush();
        return EffCli.OK;
    }
}
