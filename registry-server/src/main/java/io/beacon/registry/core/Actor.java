package io.beacon.registry.core;

/**
 * Who asks the registry for a change: the name kept as the owner of the instances it registers,
 * and whether it may change an instance that is already owned. With security off every change is
 * made by {@link #ANYONE}, who owns nothing and may change everything.
 */
public interface Actor {

	/** No identity: instances it registers have no owner, and it may change any instance. */
	Actor ANYONE = new Actor() {

		@Override
		public String name() {
			return null;
		}

		@Override
		public boolean mayChange(String owner) {
			return true;
		}

	};

	/**
	 * @return the name an instance registered by this actor is owned by, {@code null} for none
	 */
	String name();

	/**
	 * Whether this actor may heartbeat, change or remove an instance owned by {@code owner}.
	 * @param owner the instance's owner, {@code null} when it has none
	 */
	boolean mayChange(String owner);

}
