package io.beacon.registry.config;

import io.beacon.registry.etcd.EtcdStart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * With {@code beacon.registry.store=etcd}, asks etcd for this replica's session lease and the whole
 * registry as soon as the settings are known, before the application context is refreshed: the
 * answers arrive while Spring creates the rest of the process, and {@link EtcdStoreConfiguration}
 * takes them over instead of asking then (a restarted replica with 10,000 instances serves about
 * half a second sooner on two cores, BENCHMARKS.md). Settings it cannot use are left to the store's
 * own validation, which fails the start naming the key; a start the store does not take over is
 * closed with the context.
 */
public final class EtcdEarlyStart implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	static final String BEAN_NAME = "beaconEtcdEarlyStart";

	private static final Logger logger = LoggerFactory.getLogger(EtcdEarlyStart.class);

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		if (!"etcd".equals(context.getEnvironment().getProperty("beacon.registry.store"))) {
			return;
		}
		EtcdStart start;
		try {
			EtcdProperties etcd = Binder.get(context.getEnvironment())
				.bindOrCreate("beacon.registry.etcd", EtcdProperties.class);
			if (!etcd.isEndpointsValid()) {
				return;
			}
			start = EtcdStart.begin(etcd.toSettings());
		}
		catch (RuntimeException ex) {
			logger.debug("Not asking etcd early: {}", ex.toString());
			return;
		}
		ConfigurableListableBeanFactory beans = context.getBeanFactory();
		beans.registerSingleton(BEAN_NAME, start);
		((DefaultSingletonBeanRegistry) beans).registerDisposableBean(BEAN_NAME, start::close);
	}

}
