"""An independent client against gitlab-emulator: python-gitlab creates, lists (all pages), gets,
updates and deletes release links, and must see GitLab's duplicate and invalid-path errors.

Usage: python_gitlab_check.py URL TOKEN PROJECT TAG
Exits 0 when every expectation holds; prints what it checked.
"""

import sys

import gitlab


def expect(condition, message):
    if not condition:
        print(f"FAILED: {message}", file=sys.stderr)
        sys.exit(1)


def main():
    url, token, project_id, tag = sys.argv[1:5]
    gl = gitlab.Gitlab(url, private_token=token)
    project = gl.projects.get(project_id, lazy=True)
    release = project.releases.get(tag)
    expect(release.tag_name == tag, f"release tag {release.tag_name!r}")

    created = []
    for index in range(25):
        link = release.links.create(
            {
                "name": f"asset-{index}",
                "url": f"https://cdn.example.com/asset-{index}.bin",
                "direct_asset_path": f"/bin/asset-{index}.bin",
                "link_type": "package",
            }
        )
        created.append(link.id)
    print(f"created {len(created)} links")

    listed = release.links.list(get_all=True, per_page=10)
    expect([link.id for link in listed] == list(reversed(created)), "all pages, newest first")
    print(f"listed {len(listed)} links over 3 pages")

    first = release.links.get(created[0])
    expect(first.name == "asset-0", f"get: name {first.name!r}")
    expect(first.direct_asset_url.endswith(f"/-/releases/{tag}/downloads/bin/asset-0.bin"),
           f"get: direct_asset_url {first.direct_asset_url!r}")

    first.name = "renamed"
    first.link_type = "runbook"
    first.save()
    again = release.links.get(created[0])
    expect(again.name == "renamed" and again.link_type == "runbook", "update persisted")
    print("updated one link")

    try:
        release.links.create({"name": "asset-1", "url": "https://cdn.example.com/asset-1.bin"})
        expect(False, "a duplicate was accepted")
    except gitlab.GitlabCreateError as error:
        expect(error.response_code == 400, f"duplicate status {error.response_code}")
        text = str(error.error_message)
        expect("Url has already been taken" in text and "Name has already been taken" in text,
               f"duplicate message {text!r}")
        print(f"duplicate refused: {text}")

    try:
        release.links.create({"name": "bad", "url": "https://x/bad", "direct_asset_path": "/a b.bin"})
        expect(False, "an invalid path was accepted")
    except gitlab.GitlabCreateError as error:
        expect(error.response_code == 400, f"invalid path status {error.response_code}")
        expect("Filepath is in an invalid format" in str(error.error_message),
               f"invalid path message {error.error_message!r}")
        print(f"invalid path refused: {error.error_message}")

    release.links.delete(created[1])
    try:
        release.links.get(created[1])
        expect(False, "a deleted link is still there")
    except gitlab.GitlabGetError as error:
        expect(error.response_code == 404, f"deleted link status {error.response_code}")
    remaining = release.links.list(get_all=True)
    expect(len(remaining) == 24, f"{len(remaining)} links remain")
    print("deleted one link; 24 remain")


if __name__ == "__main__":
    main()
