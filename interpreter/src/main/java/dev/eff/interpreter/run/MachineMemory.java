package dev.eff.interpreter.run;

import org.bytedeco.javacpp.Pointer;

/**
 * The memory a run may use: the machine's physical memory and the limit JavaCPP holds ND4J's native
 * allocations to ({@code org.bytedeco.javacpp.maxPhysicalBytes}, set by {@code Backend.configure()} unless the
 * user set it; 0 for none).
 */
public record MachineMemory(long physical, long nativeLimit) {

    public long available() { return nativeLimit > 0 ? Math.min(physical, nativeLimit) : physical; }

    /** This machine's figures; reads JavaCPP's limit, so call it after the backend is configured. */
    public static MachineMemory current() {
        return new MachineMemory(physicalBytes(), Pointer.maxPhysicalBytes());
    }

    /**
     * What {@code eff run} will allow, without starting JavaCPP ({@code eff summary}, tests): the user's
     * {@code maxPhysicalBytes} when it is a plain number of bytes, else the limit {@code Backend.configure()} sets.
     */
    public static MachineMemory expectedForRuns() {
        long physical = physicalBytes();
        String set = System.getProperty(dev.eff.accelerators.Backend.MAX_PHYSICAL_BYTES);
        if (set != null && set.strip().matches("\\d+")) return new MachineMemory(physical, Long.parseLong(set.strip()));
        return new MachineMemory(physical, dev.eff.accelerators.Backend.physicalBytesLimit(physical));
    }

    private static long physicalBytes() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getTotalMemorySize() : Long.MAX_VALUE;
    }

    /** {@code this machine has 15.50 GB of memory; ND4J may use 7.75 GB of it (...)}. */
    public String describe() {
        String has = "this machine has " + MemoryEstimate.size(physical) + " of memory";
        if (nativeLimit <= 0 || nativeLimit >= physical) return has;
        return has + "; ND4J may use " + MemoryEstimate.size(nativeLimit) + " of it (org.bytedeco.javacpp.maxPhysicalBytes)";
    }
}
