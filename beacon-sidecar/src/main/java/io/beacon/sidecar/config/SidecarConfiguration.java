package io.beacon.sidecar.config;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.beacon.client.autoconfigure.BeaconClientAutoConfiguration;
import io.beacon.client.autoconfigure.BeaconClientProperties;
import io.beacon.client.autoconfigure.BeaconScheduler;
import io.beacon.client.registration.LocalInstance;
import io.beacon.client.registration.Registrar;
import io.beacon.client.registration.RegistrationListener;
import io.beacon.client.registry.RegistryClient;
import io.beacon.client.web.LoadBalancerExchangeFilterFunction;
import io.beacon.sidecar.app.AppProcess;
import io.beacon.sidecar.health.HealthMonitor;
import io.beacon.sidecar.health.HealthProbe;
import io.beacon.sidecar.health.HealthTracker;
import io.beacon.sidecar.health.HttpHealthProbe;
import io.beacon.sidecar.health.TcpHealthProbe;
import io.beacon.sidecar.lifecycle.Sidecar;
import io.beacon.sidecar.proxy.OutboundProxy;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The sidecar's wiring. The registry client, the discovery client and the load-balancing filter are
 * the starter's beans (configured by {@code beacon.client.*}); the starter's self-registration is
 * excluded by the application, because the sidecar registers the app, not itself.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ SidecarProperties.class, BeaconClientProperties.class })
public class SidecarConfiguration {

	/**
	 * Runs on the starter's one scheduler, with its clock (both come with the registry client), and
	 * holds the app's lease stream unless {@code beacon.client.lease-stream.enabled=false}: the
	 * sidecar lives and dies with its app's pod.
	 */
	@Bean
	Registrar beaconSidecarRegistrar(ObjectProvider<RegistryClient> registryClient,
			ObjectProvider<BeaconScheduler> scheduler,
			@Qualifier(BeaconClientAutoConfiguration.CLOCK) ObjectProvider<Clock> clock,
			BeaconClientProperties client) {
		return new Registrar(required(registryClient, "beacon.client.enabled"),
				required(scheduler, "beacon.client.enabled").executor(), clock.getIfAvailable(Clock::systemUTC),
				RegistrationListener.NONE, client.getLeaseStream().isEnabled());
	}

	@Bean(destroyMethod = "dispose")
	Scheduler beaconSidecarProbeScheduler() {
		return Schedulers.newSingle("beacon-sidecar-probe", true);
	}

	@Bean
	HealthMonitor beaconSidecarHealthMonitor(SidecarProperties sidecar, Scheduler beaconSidecarProbeScheduler) {
		HealthProbe probe = (sidecar.getHealthUrl() != null)
				? new HttpHealthProbe(sidecar.getHealthUrl(), sidecar.getProbeTimeout())
				: new TcpHealthProbe(sidecar.getAppHost(), sidecar.getAppPort(), sidecar.getProbeTimeout());
		return new HealthMonitor(probe, new HealthTracker(sidecar.getHealthyThreshold(), sidecar.getUnhealthyThreshold()),
				sidecar.getProbeInterval(), sidecar.getProbeTimeout(), beaconSidecarProbeScheduler);
	}

	@Bean
	OutboundProxy beaconSidecarProxy(SidecarProperties sidecar,
			ObjectProvider<LoadBalancerExchangeFilterFunction> loadBalancing) {
		return new OutboundProxy(sidecar.getProxyPort(), required(loadBalancing, "beacon.client.load-balancer.enabled"),
				sidecar.getProxyConnectTimeout(), sidecar.getProxyResponseTimeout());
	}

	/** A starter bean the sidecar cannot run without, or an error naming the switch that turned it off. */
	private static <T> T required(ObjectProvider<T> bean, String key) {
		T found = bean.getIfAvailable();
		if (found == null) {
			throw new IllegalStateException("The sidecar needs the starter's client: " + key + " must not be false");
		}
		return found;
	}

	@Bean
	AppProcess beaconSidecarAppProcess(SidecarProperties sidecar) {
		Map<String, String> environment = Map.of("BEACON_PROXY_URL", "http://127.0.0.1:" + sidecar.getProxyPort(),
				"BEACON_APP_PORT", Integer.toString(sidecar.getAppPort()));
		return new AppProcess(sidecar.getCommand(), sidecar.getAppPid(), environment);
	}

	@Bean
	Sidecar beaconSidecar(Registrar registrar, HealthMonitor monitor, OutboundProxy proxy, AppProcess process,
			SidecarProperties sidecar, BeaconClientProperties client) {
		return new Sidecar(registrar, app(sidecar, client), monitor, proxy, process, new Sidecar.Settings(
				sidecar.getDrainDelay(), client.getRequestTimeout(), sidecar.getAppStopTimeout(), client.isFailFast()));
	}

	@Bean
	SidecarLifecycle beaconSidecarLifecycle(Sidecar sidecar) {
		return new SidecarLifecycle(sidecar);
	}

	/** The app as it registers: beacon.sidecar.* say what it is, beacon.client.* how it is seen. */
	static LocalInstance app(SidecarProperties sidecar, BeaconClientProperties client) {
		String host = RegisteredAddress.choose(client.getHost(), sidecar.getAppHost(), client.isPreferIpAddress());
		int port = sidecar.getAppPort();
		String instanceId = (client.getInstanceId() != null && !client.getInstanceId().isBlank())
				? client.getInstanceId() : host + ":" + port;
		Map<String, String> metadata = new LinkedHashMap<>(client.getMetadata());
		metadata.putAll(sidecar.getMetadata());
		return new LocalInstance(sidecar.getServiceName().toLowerCase(Locale.ROOT), instanceId, host, port,
				client.isSecure(), client.getZone(), metadata, client.getLeaseTtl());
	}

}
