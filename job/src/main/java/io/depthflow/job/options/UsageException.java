package io.depthflow.job.options;

/** A bad command line: printed as one line, exit code 2, no stack trace. */
public class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
