# Worktree isolation through the cmdlets, with the real git: -Isolation Worktree gives each task a worktree and a branch
# of its own (the user's tree untouched), tasks and results say which branch holds the work, unknown bases and folders
# outside git are errors, and Remove-ClaudeTask never loses work: it refuses uncommitted changes unless -Force, which
# warns what it discarded, and warns when it keeps a branch.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $ErrorActionPreference = 'Stop'

    # git with a private home whose .gitconfig names a test user, and no system config: never the user's own settings.
    $saved = @{ HOME = $env:HOME; GIT_CONFIG_NOSYSTEM = $env:GIT_CONFIG_NOSYSTEM }
    $env:HOME = New-TestFolder 'home'
    $env:GIT_CONFIG_NOSYSTEM = '1'
    "[user]`n`tname = Test User`n`temail = test@example.invalid`n[init]`n`tdefaultBranch = main`n" |
        Set-Content (Join-Path $env:HOME '.gitconfig')
    Import-TestModule

    # Runs git in $Folder; a failure throws with git's words.
    function Invoke-Git([string] $Folder) {
        $output = & git -C $Folder @args 2>&1
        if ($LASTEXITCODE -ne 0) { throw "git $args failed ($LASTEXITCODE): $output" }
        $output
    }

    # A repository with one commit: shared.txt holding 'base'.
    function New-TestRepository([string] $Path) {
        $null = New-Item -ItemType Directory -Path $Path
        $null = Invoke-Git $Path init --quiet
        'base' | Set-Content (Join-Path $Path 'shared.txt')
        $null = Invoke-Git $Path add --all
        $null = Invoke-Git $Path commit --quiet --message base
        $Path
    }
}

AfterAll {
    Remove-TestModule
    foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
}

Describe 'Worktree isolation' {
    BeforeEach {
        # Each test has a store, a location and a repository of its own, as a fresh session would.
        $sandbox = Enter-TestSandbox 'worktrees'
        $repo = New-TestRepository (Join-Path $sandbox.Work 'project')
    }

    AfterEach {
        Get-ClaudeTask | Remove-ClaudeTask -Force -Confirm:$false -WarningAction SilentlyContinue
        Exit-TestSandbox $sandbox
    }

    Context 'Start-ClaudeTask -Isolation Worktree' {
        It 'gives two tasks writing the same file a branch each, with its own content, and leaves the user''s tree alone' {
            'the user''s own edit' | Set-Content (Join-Path $repo 'shared.txt')
            $before = Invoke-Git $repo status --porcelain
            $head = Invoke-Git $repo rev-parse HEAD

            $tasks = 'one', 'two' | ForEach-Object {
                Start-ClaudeTask "fake:write shared.txt version $_`nfake:sleep 200`nfake:result wrote $_" -Isolation Worktree -WorkingDirectory $repo -Name $_
            } | Wait-ClaudeTask

            foreach ($task in $tasks) {
                $task.TaskState | Should -Be 'Completed'
                $task.Branch | Should -BeExactly "claude-task/$($task.TaskId)"
                Invoke-Git $repo show "$($task.Branch):shared.txt" | Should -BeExactly "version $($task.Name)"
                $task.Worktree.Path | Should -BeExactly (Join-Path $sandbox.State 'worktrees' $task.TaskId 'project')
                $task.WorkingDirectory | Should -BeExactly $task.Worktree.Path
            }
            Get-Content (Join-Path $repo 'shared.txt') | Should -BeExactly 'the user''s own edit'
            Invoke-Git $repo status --porcelain | Should -BeExactly $before
            Invoke-Git $repo rev-parse HEAD | Should -BeExactly $head
            $table = Get-ClaudeTask | Format-Table Name, State, Branch | Out-String -Width 80
            foreach ($task in $tasks) { $table | Should -MatchExactly "(?m)^$($task.Name)\s+Completed\s+claude-task/$($task.TaskId)\s*$" }
        }

        It 'leaves Branch and Worktree empty without isolation' {
            $task = Start-ClaudeTask 'fake:write plain.txt here' -WorkingDirectory $repo | Wait-ClaudeTask

            $task.Branch | Should -BeNullOrEmpty
            $task.Worktree | Should -BeNullOrEmpty
            ($task | Receive-ClaudeTask).Branch | Should -BeNullOrEmpty
            Get-Content (Join-Path $repo 'plain.txt') | Should -BeExactly 'here'
        }

        It 'starts from -BaseRef, and with -NoCommit leaves the work uncommitted' {
            $first = Invoke-Git $repo rev-parse HEAD
            'later' | Set-Content (Join-Path $repo 'later.txt')
            $null = Invoke-Git $repo add --all
            $null = Invoke-Git $repo commit --quiet --message later

            $result = Invoke-ClaudeCode 'fake:write notes.txt draft' -Isolation Worktree -BaseRef $first -NoCommit -WorkingDirectory $repo

            $result.State | Should -BeExactly 'Completed'
            $result.Worktree.BaseRef | Should -BeExactly $first
            $result.Worktree.BaseCommit | Should -BeExactly $first
            $result.Worktree.CommitsAhead | Should -Be 0
            $result.Worktree.CommitOnCompletion | Should -BeFalse
            $result.Worktree.UncommittedFiles | Should -BeExactly 'notes.txt'
            Join-Path $result.Worktree.Path 'later.txt' | Should -Not -Exist -Because 'the worktree starts from the base ref, before later.txt'
        }

        It 'takes Isolation and BaseRef from piped rows, a blank cell meaning not given' {
            $rows = @"
Prompt,Name,Isolation,BaseRef
fake:write row.txt isolated,isolated,Worktree,HEAD
fake:write row.txt in place,in-place,,
"@ | ConvertFrom-Csv

            $tasks = $rows | Start-ClaudeTask -WorkingDirectory $repo | Wait-ClaudeTask

            $isolated = $tasks | Where-Object Name -eq 'isolated'
            $isolated.Branch | Should -BeExactly "claude-task/$($isolated.TaskId)"
            Invoke-Git $repo show "$($isolated.Branch):row.txt" | Should -BeExactly 'isolated'
            ($tasks | Where-Object Name -eq 'in-place').Branch | Should -BeNullOrEmpty
            Get-Content (Join-Path $repo 'row.txt') | Should -BeExactly 'in place'
        }

        It 'continues a piped worktree task''s session in the same worktree, on the same branch' {
            $first = Start-ClaudeTask 'fake:write shared.txt first' -Isolation Worktree -WorkingDirectory $repo | Wait-ClaudeTask

            $next = $first | Start-ClaudeTask 'fake:write shared.txt second' | Wait-ClaudeTask

            $next.TaskState | Should -Be 'Completed'
            $next.Branch | Should -BeExactly $first.Branch
            $next.Worktree.Path | Should -BeExactly $first.Worktree.Path
            Invoke-Git $repo show "$($first.Branch):shared.txt" | Should -BeExactly 'second'
        }

        It 'tab-completes -Isolation with None and Worktree' {
            $line = 'Start-ClaudeTask x -Isolation '
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -BeExactly 'None', 'Worktree'
            $line = 'Invoke-ClaudeCode x -Isolation w'
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -BeExactly 'Worktree'
        }
    }

    Context 'Results' {
        It 'Receive-ClaudeTask returns Branch and Worktree, readable as a table, JSON and CSV' {
            $task = Start-ClaudeTask "fake:write shared.txt changed`nfake:result done" -Isolation Worktree -WorkingDirectory $repo | Wait-ClaudeTask
            $branch = "claude-task/$($task.TaskId)"

            $result = $task | Receive-ClaudeTask

            $result.Branch | Should -BeExactly $branch
            $result.Worktree.Repository | Should -BeExactly $repo
            $result.Worktree.CommitsAhead | Should -Be 1
            $result.Worktree.ChangedFiles | Should -BeExactly 'shared.txt'
            $result.Worktree.HeadCommit | Should -BeExactly (Invoke-Git $repo rev-parse $branch)
            $result.Worktree.ReviewCommand | Should -BeLikeExactly "git diff *...$branch"
            $result | Out-String -Width 80 | Should -BeLikeExactly "*``[$branch``] done*" -Because 'the table leads with the branch'
            $result | Format-List | Out-String -Width 160 | Should -MatchExactly "(?m)^Branch\s+: $branch$"
            $json = $result | ConvertTo-Json | ConvertFrom-Json
            $json.Branch | Should -BeExactly $branch
            $json.Worktree.Branch | Should -BeExactly $branch
            @($json.Worktree.ChangedFiles) | Should -BeExactly 'shared.txt'
            $csv = $result | ConvertTo-Csv | ConvertFrom-Csv
            $csv.Branch | Should -BeExactly $branch
            $csv.Worktree | Should -BeExactly "$($branch): 1 commit, 1 file changed from $($result.Worktree.BaseCommit.Substring(0, 12))"
        }
    }

    Context 'Refusals' {
        It 'refuses an unknown -BaseRef with the engine''s message (UnknownBaseRef, ObjectNotFound), starting nothing' {
            Start-ClaudeTask 'x' -Isolation Worktree -BaseRef no-such-ref -WorkingDirectory $repo -ErrorVariable failures -ErrorAction SilentlyContinue |
                Should -BeNullOrEmpty

            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -BeExactly 'UnknownBaseRef,ClaudeCodeMcp.Commands.StartClaudeTaskCommand'
            $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $failures[0].ToString() | Should -BeLikeExactly "*base ref 'no-such-ref' names no commit*"
            Get-ClaudeTask | Should -BeNullOrEmpty
        }

        It 'refuses a folder outside any git repository (NotAGitRepository, InvalidArgument)' {
            $plain = New-Item -ItemType Directory -Path (Join-Path $sandbox.Work 'not-git')

            Invoke-ClaudeCode 'x' -Isolation Worktree -WorkingDirectory $plain -ErrorVariable failures -ErrorAction SilentlyContinue |
                Should -BeNullOrEmpty

            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -BeExactly 'NotAGitRepository,ClaudeCodeMcp.Commands.InvokeClaudeCodeCommand'
            $failures[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $failures[0].ToString() | Should -BeLikeExactly "*needs a git repository*$($plain.FullName)*"
            Get-ClaudeTask | Should -BeNullOrEmpty
        }

        It 'refuses -BaseRef and -NoCommit without worktree isolation, and an unknown -Isolation naming the valid ones' {
            Start-ClaudeTask 'x' -BaseRef HEAD -WorkingDirectory $repo -ErrorVariable failures -ErrorAction SilentlyContinue
            Start-ClaudeTask 'x' -NoCommit -Isolation None -WorkingDirectory $repo -ErrorVariable +failures -ErrorAction SilentlyContinue

            $failures | Should -HaveCount 2
            $failures.FullyQualifiedErrorId | Should -BeExactly (@('InvalidArgument,ClaudeCodeMcp.Commands.StartClaudeTaskCommand') * 2)
            { Start-ClaudeTask 'x' -Isolation sandbox } | Should -Throw -ExpectedMessage "*'sandbox' is not an isolation*None, Worktree*"
            Get-ClaudeTask | Should -BeNullOrEmpty
        }
    }

    Context 'Remove-ClaudeTask' {
        BeforeEach {
            # A failed task leaves its half-done work uncommitted in its worktree.
            $failed = Start-ClaudeTask "fake:write shared.txt half done`nfake:error-result error_during_execution it broke" -Isolation Worktree -WorkingDirectory $repo -Name broken |
                Wait-ClaudeTask
        }

        It 'refuses a task with uncommitted work (UncommittedWork, ResourceBusy) naming -Force, and goes on with the others' {
            $done = Start-ClaudeTask 'done' -WorkingDirectory $repo | Wait-ClaudeTask

            $failed, $done | Remove-ClaudeTask -Confirm:$false -ErrorVariable failures -ErrorAction SilentlyContinue

            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -BeExactly 'UncommittedWork,ClaudeCodeMcp.Commands.RemoveClaudeTaskCommand'
            $failures[0].CategoryInfo.Category | Should -Be 'ResourceBusy'
            $failures[0].ToString() | Should -BeLikeExactly '*uncommitted changes to 1 file (shared.txt)*'
            $failures[0].ToString() | Should -BeLikeExactly '*Remove-ClaudeTask -Force*'
            (Get-ClaudeTask).TaskId | Should -BeExactly $failed.TaskId -Because 'the refused task stays, the other is removed'
            Get-Content (Join-Path $failed.Worktree.Path 'shared.txt') | Should -BeExactly 'half done'
        }

        It 'with -WhatIf changes nothing' {
            $failed | Remove-ClaudeTask -Force -WhatIf

            (Get-ClaudeTask).TaskId | Should -BeExactly $failed.TaskId
            Get-Content (Join-Path $failed.Worktree.Path 'shared.txt') | Should -BeExactly 'half done'
        }

        It 'with -Force discards the uncommitted work and warns, naming what it discarded' {
            $failed | Remove-ClaudeTask -Force -Confirm:$false -WarningVariable warnings -WarningAction SilentlyContinue

            $warnings | Should -HaveCount 1
            $warnings | Should -BeLikeExactly '*uncommitted changes to 1 file (shared.txt) were discarded*'
            Get-ClaudeTask | Should -BeNullOrEmpty
            $failed.Worktree.Path | Should -Not -Exist
            Invoke-Git $repo branch --list $failed.Branch | Should -BeNullOrEmpty -Because 'a branch with nothing beyond its base goes'
        }

        It 'keeps a completed task''s branch and warns where it is and how to review it' {
            $task = Start-ClaudeTask 'fake:write shared.txt finished' -Isolation Worktree -WorkingDirectory $repo | Wait-ClaudeTask

            $task | Remove-ClaudeTask -Confirm:$false -WarningVariable warnings -WarningAction SilentlyContinue

            $warnings | Should -HaveCount 1
            $warnings | Should -BeLikeExactly "*branch $($task.Branch) holds 1 commit beyond the base and was kept*git diff *...$($task.Branch)*"
            Get-ClaudeTask -TaskId $task.TaskId -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $task.Worktree.Path | Should -Not -Exist
            Invoke-Git $repo show "$($task.Branch):shared.txt" | Should -BeExactly 'finished'
        }

        It 'Remove-Job forgets the job only: the task, its worktree and its work stay' {
            Get-Job -Name broken | Remove-Job

            Get-Job -Name broken -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            (Get-ClaudeTask).TaskId | Should -BeExactly $failed.TaskId
            Get-Content (Join-Path $failed.Worktree.Path 'shared.txt') | Should -BeExactly 'half done'
            Invoke-Git $repo branch --list $failed.Branch | Should -Not -BeNullOrEmpty
        }
    }
}
