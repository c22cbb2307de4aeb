package dev.eff.stdlib.data;

import dev.eff.stdlib.DataException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Resolving and reading data files, with messages that name the absolute path. */
final class DataFiles {

    private DataFiles() {}

    /** {@code path} resolved against the script's folder, checked to be a readable regular file. */
    static Path existing(Path baseDir, String path, String hint) throws DataException {
        Path p = resolve(baseDir, path);
        if (!Files.isRegularFile(p)) {
            throw new DataException((Files.isDirectory(p) ? "data file is a directory: " : "data file not found: ") + p, hint);
        }
        return p;
    }

    static Path resolve(Path baseDir, String path) {
        return baseDir.resolve(path).toAbsolutePath().normalize();
    }

    /** The whole file, gunzipped when it starts with the gzip magic bytes (whatever its name). */
    static byte[] readMaybeGzip(Path p) throws DataException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(p))) {
            in.mark(2);
            boolean gz = in.read() == 0x1f && in.read() == 0x8b;
            in.reset();
            return gz ? new GZIPInputStream(in, 1 << 16).readAllBytes() : in.readAllBytes();
        } catch (IOException e) {
            throw new DataException("cannot read " + p + ": " + e.getMessage(), "check that the file is complete and readable");
        }
    }

    static byte[] read(Path p) throws DataException {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new DataException("cannot read " + p + ": " + e.getMessage(), "check that the file is readable");
        }
    }
}
