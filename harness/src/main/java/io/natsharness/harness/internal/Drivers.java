package io.natsharness.harness.internal;

import io.natsharness.harness.Backend;
import io.natsharness.harness.HarnessException;
import io.natsharness.harness.internal.containers.ContainersDriver;
import io.natsharness.harness.internal.containers.ImageImplementation;
import io.natsharness.harness.internal.embedded.EmbeddedDriver;
import io.natsharness.harness.internal.env.BackendDriver;
import io.natsharness.harness.internal.env.Settings;
import io.natsharness.harness.internal.external.ExternalDriver;
import io.natsharness.harness.internal.impl.ImplementationRunner.ImageStarter;
import java.util.EnumMap;
import java.util.Map;

/** The backend drivers and the image adapter available to the extension. */
public final class Drivers {

    private final Map<Backend, BackendDriver> drivers;
    private final ImageStarter imageStarter;

    private Drivers(Map<Backend, BackendDriver> drivers, ImageStarter imageStarter) {
        this.drivers = new EnumMap<>(drivers);
        this.imageStarter = imageStarter;
    }

    /** Every backend of this module. */
    public static Drivers standard(Settings settings) {
        Map<Backend, BackendDriver> drivers = new EnumMap<>(Backend.class);
        drivers.put(Backend.EMBEDDED, new EmbeddedDriver());
        drivers.put(Backend.EXTERNAL, new ExternalDriver(settings, ExternalDriver.CHECK_TIMEOUT));
        drivers.put(Backend.CONTAINERS, new ContainersDriver());
        return new Drivers(drivers, ImageImplementation::start);
    }

    /** These drivers with {@code driver} in place of the one of its backend (tests use this). */
    public Drivers with(BackendDriver driver) {
        Map<Backend, BackendDriver> copy = new EnumMap<>(drivers);
        copy.put(driver.backend(), driver);
        return new Drivers(copy, imageStarter);
    }

    /** The driver of {@code backend}; a clear error when this build has none. */
    public BackendDriver driver(Backend backend) {
        BackendDriver driver = drivers.get(backend);
        if (driver == null) {
            throw new HarnessException("the " + backend.name().toLowerCase() + " backend is not available in this "
                    + "build; use Backend.EMBEDDED");
        }
        return driver;
    }

    /** Starts implementations packaged as images. */
    public ImageStarter imageStarter() {
        return imageStarter;
    }
}
