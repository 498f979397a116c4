"""The commands that set a district up and serve it: ilp init, ilp deploy nginx, ilp links."""

from __future__ import annotations

from pathlib import Path

import click

from generator.commands.options import ListingGroup, _root, _today, link_key_option, root_option, today_option


@click.command()
@click.argument("folder", metavar="DIR", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--framework",
    type=click.Choice(["rhode-island", "kentucky"]),
    default="rhode-island",
    show_default=True,
    help="The state ILP framework the district follows (another one is a file in curriculum/ later).",
)
@click.option(
    "--name", default="Our District", show_default=True, metavar="NAME", help="The district's name, for its sites."
)
def init(folder: Path, framework: str, name: str) -> None:
    """Start a new, empty district repository in DIR.

    DIR gets mkdocs.yml, starter district pages in content/, the framework and the reference data in
    curriculum/, an empty students/roster.yml, the JSON Schemas in .schemas/, a .gitignore and a
    pre-commit configuration, and becomes a git repository with them as its first commit. It passes
    `ilp check` and `ilp build` at once; add educators to the roster, then students with `ilp new`.
    """
    from generator.commands.init import init_district

    count = init_district(folder, framework, name)
    click.echo(
        f"Created {folder}: {count} files, one commit. Next: add educators to students/roster.yml, then ilp new."
    )


@click.group(cls=ListingGroup)
def deploy() -> None:
    """Write the configuration of a web server that lets each reader open exactly what they may read."""


@deploy.command("nginx")
@click.option("--site", metavar="DIR", help="The built site (default: site/ in the repository).")
@click.option(
    "--out", "out_dir", required=True, metavar="DIR", help="Where to write the configuration (never inside the site)."
)
@click.option(
    "--listen", default="127.0.0.1:8080", show_default=True, metavar="HOST:PORT", help="Address nginx listens on."
)
@click.option(
    "--auth", "auth_url", required=True, metavar="URL", help="oauth2-proxy's address, such as http://127.0.0.1:4180."
)
@click.option("--user", metavar="NAME", help="The user nginx's workers run as, when nginx starts as root.")
@link_key_option
@root_option
@today_option
def deploy_nginx(
    site: str | None,
    out_dir: str,
    listen: str,
    auth_url: str,
    user: str | None,
    link_key_file: Path | None,
    root: str | None,
    today: str | None,
) -> None:
    """Write an nginx configuration that lets each signed-in reader open exactly what they may read.

    Writes nginx.conf (run it with: nginx -p OUT -c nginx.conf -g 'daemon off;'), the fragments
    ilp-http.conf and ilp-server.conf to include in an existing server, and access.json (the same
    rules, for other servers). Who may read what comes from the roster and the profiles; sign-in
    follows oauth2-proxy's nginx convention (auth_request to URL/oauth2/auth, the reader's address in
    X-Auth-Request-Email).
    """
    from generator.commands.deploy import deploy_nginx as run_deploy
    from generator.commands.options import _show_warnings

    _show_warnings()
    base = _root(root)
    site_dir = Path(site) if site else base / "site"
    written = run_deploy(base, site_dir, Path(out_dir), listen, auth_url, user, _today(today), link_key_file)
    for path in written:
        click.echo(f"Wrote {path}")
    click.echo(f"Run it with: nginx -p {Path(out_dir).resolve()} -c nginx.conf -g 'daemon off;'")


@deploy.command("forge")
@click.option("--out", "out_file", metavar="FILE", help="Write the CSV here (default: print it).")
@click.option(
    "--url",
    default="students/{id}",
    show_default=True,
    metavar="TEMPLATE",
    help="How the forge names a student's repository; {id} is the student's id.",
)
@click.option(
    "--educators",
    "educator_permission",
    type=click.Choice(["read", "write"]),
    default="read",
    show_default=True,
    help="What educators may do in their students' repositories (write: they commit reviews there).",
)
@root_option
@today_option
def deploy_forge(out_file: str | None, url: str, educator_permission: str, root: str | None, today: str | None) -> None:
    """Write the access rules as repository permissions for the forge, as CSV.

    The columns are repository, person, permission and why, for a district with one repository per
    student: each student writes their own, the educators who serve them read it, every educator
    reads the district's repository; families and advisory groups get none.
    """
    from generator.commands.deploy import forge_permissions
    from generator.commands.split import check_template

    check_template(url)
    text = forge_permissions(_root(root), url, educator_permission, _today(today))
    if out_file is None:
        click.echo(text, nl=False)
    else:
        Path(out_file).write_text(text, encoding="utf-8")
        click.echo(f"Wrote {out_file}: {text.count(chr(10)) - 1} permissions")


@click.command()
@click.argument("student_id", metavar="ID")
@link_key_option
@root_option
@today_option
def links(student_id: str, link_key_file: Path | None, root: str | None, today: str | None) -> None:
    """List a student's family links, from students/ID/sharing.yml.

    Each link's line says for whom it is, the audience, the expiry date, and for a live link its path
    from the site's root (an expired or revoked one says so instead).
    """
    from generator.commands.deploy import link_lines

    for line in link_lines(_root(root), student_id, link_key_file, _today(today)):
        click.echo(line)


COMMANDS = (init, deploy, links)
