package dev.eff.api;

import dev.eff.dsl.Frontend;
import dev.eff.dsl.check.Value;
import dev.eff.dsl.source.Source;
import dev.eff.stdlib.Component;
import dev.eff.stdlib.Dataset;
import dev.eff.stdlib.Registry;
import dev.eff.stdlib.data.InMemory;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a Java host passes into a script, immutable: each method returns a new {@code Inputs}.
 * <ul>
 * <li>{@link #constant}: a number, string, boolean or list of them, which the script uses like a top-level
 * {@code let} (and which replaces a {@code let} of the same name);
 * <li>{@link #array}: an array of examples (dimension 0 = example) that the script's {@code arrays(...)} data
 * source reads by name, e.g. {@code data points = arrays(inputs = ["x"], label = "y", classes = 3)};
 * <li>{@link #baseDir}: where the relative paths of script text resolve (default: the working directory).
 * </ul>
 * Compiling (and running) sets these system properties when unset, before ND4J starts: the native build for the CPU
 * ({@code org.bytedeco.javacpp.platform.extension}, {@code org.bytedeco.javacpp.maxPhysicalBytes}), no start-up banner
 * ({@code org.nd4j.log.initialization=false}), and, for slf4j-simple, warnings only from ND4J's and JavaCPP's
 * loggers ({@code org.slf4j.simpleLogger.log.org.nd4j=warn}, ...). With another slf4j binding, set {@code org.nd4j} to
 * WARN in its configuration. While ND4J builds a gradient function, which prints a line per operation to
 * {@code System.out}, {@code System.out} is a sink; it is restored at once.
 */
public final class Inputs {
    static final Inputs NONE = new Inputs(Map.of(), Map.of(), null);

    private final Map<String, Value> constants;
    private final Map<String, Dataset.Column> arrays;
    private final Path baseDir;

    private Inputs(Map<String, Value> constants, Map<String, Dataset.Column> arrays, Path baseDir) {
        this.constants = constants;
        this.arrays = arrays;
        this.baseDir = baseDir;
    }

    /**
     * These inputs and a constant.
     *
     * @throws IllegalArgumentException when the name is no identifier or the value no number (finite), string,
     *                                  boolean or list of them
     */
    public Inputs constant(String name, Object value) {
        identifier(name);
        Value v = JavaValues.constant(value);
        if (v == null) {
            throw new IllegalArgumentException("constant '" + name + "': Eff constants are numbers, strings, booleans and lists of them, got "
                    + (value == null ? "null" : value.getClass().getSimpleName() + " " + value));
        }
        Map<String, Value> m = new LinkedHashMap<>(constants);
        m.put(name, v);
        return new Inputs(m, arrays, baseDir);
    }

    /**
     * These inputs and an array of examples, copied now ({@code float[]...}, {@code double[]...}, {@code int[]...},
     * {@code long[]...} of any rank, or an {@code INDArray}; ints are ids, the rest floats).
     *
     * @throws IllegalArgumentException when it is no rectangular array of those types with at least one example
     */
    public Inputs array(String name, Object examples) {
        identifier(name);
        Map<String, Dataset.Column> m = new LinkedHashMap<>(arrays);
        m.put(name, JavaValues.column(name, examples));
        return new Inputs(constants, m, baseDir);
    }

    /** These inputs, with relative paths of script text resolving against {@code dir}. */
    public Inputs baseDir(Path dir) { return new Inputs(constants, arrays, dir.toAbsolutePath()); }

    /** Checks the script in {@code file}; imports and data paths resolve against its folder. */
    public Script compile(Path file) {
        Embedding.prepare();
        Registry registry = registry();
        Path base = file.toAbsolutePath().getParent();
        Frontend.Result r;
        if (constants.isEmpty()) {
            r = Frontend.check(file, registry, Map.of());
        } else {
            Source source;
            try {
                source = Frontend.read(file);
            } catch (IOException | RuntimeException e) {
                return new Script(Frontend.check(file, registry, Map.of()), registry, file, base);  // reports why it cannot be read
            }
            r = Frontend.check(source, file, registry, Map.of(), constants);
        }
        return new Script(r, registry, file, base);
    }

    /** Checks script text reported as {@code name}. */
    public Script compile(String name, String text) {
        Embedding.prepare();
        Registry registry = registry();
        Path base = baseDir != null ? baseDir : Path.of("").toAbsolutePath();
        Path file;
        try {
            file = base.resolve(Path.of(name).getFileName().toString());
        } catch (InvalidPathException | NullPointerException e) {
            file = base.resolve("script.eff");
        }
        return new Script(Frontend.check(new Source(name, text), file, registry, Map.of(), constants), registry, file, base);
    }

    /** The standard library, with the {@code arrays} source over these arrays. */
    private Registry registry() {
        if (arrays.isEmpty()) return Registry.standard();
        List<Component> components = new ArrayList<>();
        for (Component c : Registry.standard().all()) if (!(c instanceof InMemory)) components.add(c);
        components.add(new InMemory(arrays));
        return new Registry(components);
    }

    private static void identifier(String name) {
        if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("'" + name + "' is not an Eff name (letters, digits and _, not starting with a digit)");
        }
    }
}
