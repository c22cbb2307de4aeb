package dev.eff.stdlib.data;

import dev.eff.stdlib.DataException;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Resolving and reading data files, with messages that name the absolute path. */
final class DataFiles {

    private DataFiles() {}

    /** {@code path} resolved against the script's folder, checked to be a readable regular file. */
    static Path existing(Path baseDir, String path, String hint) throws DataException {
        Path p = resolve(baseDir, path);
        if (Files.isDirectory(p)) throw new DataException("data file is a directory: " + p, hint);
        if (Files.exists(p) && !Files.isRegularFile(p)) {
            throw new DataException("data file is not a regular file: " + p, "give a file on disk; devices, pipes and sockets cannot be read as data");
        }
        if (!Files.exists(p)) throw new DataException("data file not found: " + p, hint);
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
            long size = Files.size(p);
            if (size > Sizes.MAX_ARRAY) {
                throw new DataException(p + " holds " + Sizes.count(size) + " bytes, more than Eff reads into memory at once ("
                        + Sizes.count(Sizes.MAX_ARRAY) + ")", "use a smaller file, or split it");
            }
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new DataException("cannot read " + p + ": " + e.getMessage(), "check that the file is readable");
        }
    }

    /** UTF-8 text without the byte order mark some editors put first (it would otherwise stick to the first column's name). */
    static String text(byte[] bytes) {
        return withoutBom(new String(bytes, StandardCharsets.UTF_8));
    }

    /** The first line that is not blank (the header of a CSV file), without reading the rest; empty for none. */
    static String firstLine(Path p) throws DataException {
        try (BufferedReader in = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!line.isBlank()) return withoutBom(line);
            }
            return "";
        } catch (IOException e) {
            throw new DataException("cannot read " + p + ": " + e.getMessage(), "check that the file is a readable UTF-8 text file");
        }
    }

    private static String withoutBom(String t) {
        return t.startsWith("\uFEFF") ? t.substring(1) : t;
    }
}
