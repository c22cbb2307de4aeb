package dev.eff.interpreter.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.eff.interpreter.train.Checkpoints;
import java.io.IOException;
import java.nio.file.Path;

/** Writes a {@link RunReport} as indented JSON, atomically like a checkpoint. */
public final class Reports {
    private Reports() {}

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static void write(RunReport report, Path file) throws IOException {
        Checkpoints.write(file, tmp -> JSON.writeValue(tmp.toFile(), report));
    }
}
