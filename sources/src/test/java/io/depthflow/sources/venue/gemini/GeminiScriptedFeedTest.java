package io.depthflow.sources.venue.gemini;

import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.simulator.StreamFault;
import io.depthflow.sources.venue.ScriptedSession;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Gemini's scripted session: the whole book first, then level changes, and a silent drop. */
class GeminiScriptedFeedTest {

    private static List<RawMessage> script(StreamFault fault) {
        return ScriptedSession.script("gemini", 60, fault, 20);
    }

    @Test
    void shouldSendTheWholeBookFirstThenLevelChangesAndHeartbeats() throws Exception {
        List<RawMessage> messages = script(null);
        ScriptedSession s = ScriptedSession.read("gemini", 0, messages);

        assertThat(s.snapshots).isEqualTo(2);
        assertThat(s.updates).isGreaterThan(60);
        assertThat(s.heartbeats).isEqualTo(1); // 6 s, one every 5 s
        assertThat(messages.get(1).payload)
                .contains("\"trades\":[]")
                .startsWith("{\"type\":\"l2_updates\"");
        assertThat(s.books.get("BTC/USD").bids).hasSizeGreaterThan(100);
    }

    @Test
    void shouldDropOneUpdateThatNothingOnTheFeedShows() throws Exception {
        List<RawMessage> clean = script(null);
        List<RawMessage> dropped = script(StreamFault.DROP_MESSAGE);

        assertThat(dropped).hasSize(clean.size() - 1);
        List<RawMessage> missing = new ArrayList<>(clean);
        missing.removeAll(dropped);
        assertThat(missing)
                .singleElement()
                .satisfies(m -> assertThat(m.payload).contains("l2_updates"));
        // no sequence, no checksum: the client reads on without noticing
        ScriptedSession s = ScriptedSession.read("gemini", 0, dropped);
        assertThat(s.connections).isEqualTo(1);
        assertThat(s.updates).isEqualTo(ScriptedSession.read("gemini", 0, clean).updates - 1);
    }
}
