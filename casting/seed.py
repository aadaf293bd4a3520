"""`flask seed-demo`: idempotent demo data (to be built)."""
import click


def register(app) -> None:
    @app.cli.command("seed-demo")
    def seed_demo() -> None:
        """Load demo data (idempotent) and print the demo logins."""
        click.echo("nothing yet")
