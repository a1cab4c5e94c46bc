package io.beacon.registry.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class ChangeLogTests {

	private final ChangeLog log = new ChangeLog(3);

	@Test
	void keepsTheLastChangesUpToItsCapacity() {
		for (long i = 101; i <= 105; i++) {
			this.log.append(event(i, "s"));
		}
		assertThat(this.log.since(102, 105, (e) -> true)).extracting(ChangeEvent::index).containsExactly(103L, 104L,
				105L);
		assertThat(this.log.since(101, 105, (e) -> true)).isNull();
		assertThat(this.log.since(104, 105, (e) -> true)).extracting(ChangeEvent::index).containsExactly(105L);
		assertThat(this.log.since(105, 105, (e) -> true)).isEmpty();
	}

	@Test
	void filtersByWhatTheWatcherWatches() {
		this.log.append(event(1, "a"));
		this.log.append(event(2, "b"));
		this.log.append(event(3, "a"));
		assertThat(this.log.since(0, 3, (e) -> e.service().equals("a"))).extracting(ChangeEvent::index)
			.containsExactly(1L, 3L);
	}

	@Test
	void anIndexAheadOfTheRegistryNeedsASnapshot() {
		this.log.append(event(10, "a"));
		assertThat(this.log.since(11, 10, (e) -> true)).isNull();
	}

	@Test
	void refusesAGapInIndexes() {
		this.log.append(event(1, "a"));
		assertThatIllegalStateException().isThrownBy(() -> this.log.append(event(3, "a")));
	}

	private static ChangeEvent event(long index, String service) {
		Instance instance = new Instance("i" + index, service, "h", 80, false, InstanceStatus.UP, null, Map.of(), Duration.ofSeconds(15),
				Instant.EPOCH, Instant.EPOCH);
		return new ChangeEvent(index, ChangeCause.REGISTERED, instance);
	}

}
