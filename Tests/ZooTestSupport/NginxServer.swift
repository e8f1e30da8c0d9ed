import Foundation

/// Debian's nginx serving a directory on 127.0.0.1, run as the current user with its configuration, pid file,
/// logs and temporary paths in a temporary directory. Range requests work as in production (nginx's default).
public final class NginxServer {
    /// The address of the served root, e.g. `http://127.0.0.1:40123` (no trailing slash).
    public let baseURL: String
    /// The port nginx listens on.
    public let port: Int
    private let process: Process
    private let directory = TemporaryDirectory()

    /// Where Debian installs nginx (`apt-get install nginx-light`, done by scripts/install-deps.sh).
    public static let executable = "/usr/sbin/nginx"

    /// Starts nginx serving `root` and returns once it accepts connections.
    public init(root: URL) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.executable) else {
            throw TestServerError("nginx is not installed at \(Self.executable); run scripts/install-deps.sh, which installs nginx-light")
        }
        var lastError = ""
        for _ in 0..<5 {
            let port = try LoopbackPort.unused()
            let process = try Self.launch(root: root, port: port, in: directory)
            if LoopbackPort.waitUntilAccepting(port, while: { process.isRunning }) {
                self.process = process
                self.port = port
                baseURL = "http://127.0.0.1:\(port)"
                return
            }
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
            lastError = (try? String(contentsOfFile: directory.path("error.log"), encoding: .utf8)) ?? "no error log"
            // Another program may have taken the port between the probe and nginx's bind: try another one.
            guard lastError.contains("Address already in use") else { break }
        }
        throw TestServerError("nginx did not start; its error log says:\n\(lastError)")
    }

    deinit { stop() }

    /// Stops nginx (SIGTERM) and waits for it to exit.
    public func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    private static func launch(root: URL, port: Int, in directory: TemporaryDirectory) throws -> Process {
        let configuration = directory.path("nginx.conf")
        try Self.configuration(root: root.path, port: port, directory: directory.url.path)
            .write(toFile: configuration, atomically: true, encoding: .utf8)
        return try ServerProcess.start([executable, "-p", directory.url.path + "/", "-c", configuration, "-e", directory.path("error.log")])
    }

    /// One process (no master/worker split, so no user switch and nothing left behind), no daemon, everything
    /// nginx writes kept under `directory`.
    private static func configuration(root: String, port: Int, directory: String) -> String {
        """
        daemon off;
        master_process off;
        pid \(directory)/nginx.pid;
        error_log \(directory)/error.log warn;
        events { worker_connections 256; }
        http {
            access_log off;
            default_type application/octet-stream;
            sendfile on;
            tcp_nopush on;
            keepalive_timeout 30s;
            client_body_temp_path \(directory)/client_body;
            proxy_temp_path \(directory)/proxy;
            fastcgi_temp_path \(directory)/fastcgi;
            uwsgi_temp_path \(directory)/uwsgi;
            scgi_temp_path \(directory)/scgi;
            server {
                listen 127.0.0.1:\(port);
                root \(root);
            }
        }

        """
    }
}
