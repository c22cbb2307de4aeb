package dev.eff.accelerators;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

/**
 * The instruction-set flags of this CPU as the kernel reports them ({@code /proc/cpuinfo}, Linux). Elsewhere
 * the set is empty, which selects the generic build: a missed speed-up, never an illegal instruction.
 */
public record CpuFeatures(String model, Set<String> flags) {

    public CpuFeatures {
        flags = Set.copyOf(flags);
    }

    static final CpuFeatures NONE = new CpuFeatures("unknown", Set.of());

    public static CpuFeatures detect() {
        try {
            return parse(Files.readString(Path.of("/proc/cpuinfo")));
        } catch (IOException | RuntimeException e) {
            return NONE;
        }
    }

    /** The model name and flags of the first processor listed. */
    static CpuFeatures parse(String cpuinfo) {
        String model = "unknown";
        Set<String> flags = Set.of();
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) continue;
            String key = line.substring(0, colon).strip(), value = line.substring(colon + 1).strip();
            if (key.equals("model name") && model.equals("unknown")) model = value;
            if (key.equals("flags") && flags.isEmpty()) flags = new TreeSet<>(Arrays.asList(value.split("\\s+")));
        }
        return new CpuFeatures(model, flags);
    }

    public boolean hasAll(Set<String> required) { return flags.containsAll(required); }
}
