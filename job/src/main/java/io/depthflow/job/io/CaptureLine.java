package io.depthflow.job.io;

import java.util.Arrays;

/**
 * One line of a capture file as bytes, with its 1-based line number: the replay source reads bytes,
 * not text, so that a line that is not UTF-8 is recorded as it is instead of being silently
 * repaired. Flink POJO.
 */
public class CaptureLine {

    public long number;
    public byte[] bytes;

    public CaptureLine() {}

    public CaptureLine(long number, byte[] bytes) {
        this.number = number;
        this.bytes = bytes;
    }

    /**
     * Whether the line holds nothing but spaces, tabs and a carriage return (skipped, as before).
     */
    public boolean isBlank() {
        for (byte b : bytes) {
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CaptureLine
                && number == ((CaptureLine) o).number
                && Arrays.equals(bytes, ((CaptureLine) o).bytes);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(number) * 31 + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "CaptureLine{" + number + ", " + bytes.length + "B}";
    }
}
