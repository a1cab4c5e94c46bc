package io.beacon.registry.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RevisionLogTests {

	private final RevisionLog log = new RevisionLog(3, 100);

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
		this.log.append(event(101, "a"));
		this.log.append(event(102, "b"));
		this.log.append(event(103, "a"));
		assertThat(this.log.since(100, 103, (e) -> e.service().equals("a"))).extracting(ChangeEvent::index)
			.containsExactly(101L, 103L);
	}

	@Test
	void anIndexAheadOfTheStoreOrFromBeforeItStartedNeedsASnapshot() {
		this.log.append(event(110, "a"));
		assertThat(this.log.since(111, 110, (e) -> true)).isNull();
		assertThat(this.log.since(99, 110, (e) -> true)).isNull();
	}

	@Test
	void indexesThatSkipNumbersLeaveNoGap() {
		this.log.append(event(102, "a"));
		this.log.append(event(105, "a"));
		this.log.append(event(109, "a"));
		assertThat(this.log.since(103, 109, (e) -> true)).extracting(ChangeEvent::index).containsExactly(105L, 109L);
		assertThat(this.log.since(100, 109, (e) -> true)).extracting(ChangeEvent::index)
			.containsExactly(102L, 105L, 109L);
	}

	private static ChangeEvent event(long index, String service) {
		Instance instance = new Instance("i" + index, service, "h", 80, false, InstanceStatus.UP, null, Map.of(), Duration.ofSeconds(15),
				Instant.EPOCH, Instant.EPOCH);
		return new ChangeEvent(index, ChangeCause.REGISTERED, instance);
	}

}
