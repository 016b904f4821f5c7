fn main() -> std::process::ExitCode {
    devctl::run()
}
