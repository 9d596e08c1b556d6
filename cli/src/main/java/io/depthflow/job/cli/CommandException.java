package io.depthflow.job.cli;

/**
 * A command that could not do its work (bad input file, unreachable ClickHouse): one line, exit 1.
 */
public class CommandException extends Exception {
    private static final long serialVersionUID = 1L;

    public CommandException(String message) {
        super(message);
    }
}
