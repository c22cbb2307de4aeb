package dev.eff.interpreter.cli;

import dev.eff.accelerators.Backend;
import dev.eff.dsl.Frontend;
import dev.eff.interpreter.bench.Bench;
import dev.eff.interpreter.bench.BenchReport;
import dev.eff.interpreter.bench.Sweep;
import dev.eff.interpreter.compile.CompileException;
import dev.eff.interpreter.compile.ModelCompiler;
import dev.eff.interpreter.run.Eff;
import dev.eff.interpreter.run.OutputCheck;
import dev.eff.interpreter.train.RunFailure;
import dev.eff.stdlib.DataException;
import dev.eff.stdlib.Registry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code eff bench FILE --sweep NAME=a,b}: a train statement's speed and cost under every combination of swept constants. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure a train statement's step time, batch-1 inference latency, FLOPs, memory and MFU over swept constants.")
final class BenchCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The .eff script.")
    Path file;

    @Mixin ScriptOptions script;

    @Option(names = "--sweep", paramLabel = "NAME=V1,V2",
            description = "Vary a top-level constant over values, e.g. --sweep kind=softmax,performer --sweep T=256,1024 (repeatable: every combination).")
    List<String> sweeps = List.of();

    @Option(names = "--job", paramLabel = "N", defaultValue = "1", description = "Which train statement to measure, counting from 1 (default ${DEFAULT-VALUE}).")
    int job;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "10", description = "Timed train steps and inference calls per combination and round (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "3", description = "Untimed steps and calls before the first round's (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--reps", paramLabel = "N", defaultValue = "3", description = "Rounds over all combinations, alternating them (default ${DEFAULT-VALUE}).")
    int reps;

    @Option(names = "--csv", paramLabel = "FILE", description = "Write the results as CSV.")
    Path csv;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the results and the set-up as JSON.")
    Path json;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "Plot time and memory against the last sweep (FILE.png, FILE_memory.png).")
    Path plot;

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        var out = spec.commandLine().getOut();
        if (steps < 1 || warmup < 0 || reps < 1 || job < 1) {
            err.println("eff: --steps, --reps and --job must be at least 1 and --warmup not negative");
            return EffCli.USAGE;
        }
        List<Sweep> parsed = new ArrayList<>();
        for (String s : sweeps) {
            Sweep sw = Sweep.parse(s);
            if (sw == null) {
                err.println("eff: --sweep expects NAME=VALUE1,VALUE2,..., got '" + s + "'");
                return EffCli.USAGE;
            }
            parsed.add(sw);
        }
        if (plot != null && parsed.isEmpty()) {
            err.println("eff: --plot needs a --sweep to draw against");
            return EffCli.USAGE;
        }
        if (ScriptOptions.missing(List.of(file), err)) return EffCli.USAGE;
        Map<String, String> overrides = script.overrides(err);
        if (overrides == null) return EffCli.USAGE;
        Frontend.Result checked = ScriptOptions.check(file, overrides, err);
        if (!checked.ok()) return EffCli.SCRIPT_ERROR;
        List<String> problems = new ArrayList<>();
        check(csv, "--csv", p -> startsWith(p, BenchReport.CSV_HEADER), problems);
        check(json, "--json", p -> startsWith(p, "{"), problems);
        check(plot, "--plot", p -> startsWith(p, "\u0089PNG"), problems);
        if (!problems.isEmpty()) {
            problems.forEach(err::println);
            err.flush();
            return EffCli.FAILED;
        }

        Backend.Choice backend = Backend.configure();
        if (backend.warning() != null) err.println("warning: " + backend.warning());
        List<Map<String, String>> combinations = Sweep.combinations(parsed);
        try {
            List<Bench.Result> results = new Bench(Registry.standard(), ModelCompiler.standard()).run(file, overrides,
                    combinations, new Bench.Options(warmup, steps, reps, job), new Bench.Events() {
                        @Override public void prepared(Map<String, String> values, String model) {
                            out.println("compiled " + model + " with " + Bench.render(values));
                            out.flush();
                        }
                        @Override public void round(int round, int rounds) {
                            out.println("round " + round + " of " + rounds);
                            out.flush();
                        }
                    });
            out.println();
            out.print(BenchReport.table(results));
            if (csv != null) {
                BenchReport.writeCsv(results, csv);
                out.println("CSV written to " + csv);
            }
            if (json != null) {
                Map<String, Object> setup = new LinkedHashMap<>();
                setup.put("eff", Eff.VERSION);
                setup.put("script", file.toString());
                setup.put("overrides", overrides);
                setup.put("sweeps", parsed);
                setup.put("warmup", warmup);
                setup.put("steps", steps);
                setup.put("reps", reps);
                setup.put("backend", String.valueOf(backend.build()));
                BenchReport.writeJson(results, setup, json);
                out.println("JSON written to " + json);
            }
            if (plot != null) for (Path p : BenchReport.plot(results, parsed, plot)) out.println("plot written to " + p);
            out.flush();
            return EffCli.OK;
        } catch (Bench.Unchecked e) {
            err.print(e.getMessage());
            return EffCli.SCRIPT_ERROR;
        } catch (DataException e) {
            err.println("eff: " + e.getMessage() + (e.span() == null ? "" : " (" + e.span().location() + ")"));
            return EffCli.FAILED;
        } catch (RunFailure | CompileException e) {
            err.println("eff: " + e.getMessage());
            return EffCli.FAILED;
        } catch (IOException e) {
            err.println("eff: " + e.getMessage());
            return EffCli.FAILED;
        } finally {
            err.flush();
        }
    }

    private static void check(Path file, String option, Predicate<Path> earlier, List<String> problems) {
        if (file == null) return;
        String p = OutputCheck.replaceable(file, option, earlier);
        if (p != null) problems.add("eff: " + p);
    }

    /** True when the file's first bytes are {@code head} (Latin-1, so "\u0089PNG" is PNG's signature). */
    private static boolean startsWith(Path p, String head) {
        byte[] expected = head.getBytes(StandardCharsets.ISO_8859_1);
        try (InputStream in = Files.newInputStream(p)) {
            return java.util.Arrays.equals(in.readNBytes(expected.length), expected);
        } catch (IOException e) {
            return false;
        }
    }
}
