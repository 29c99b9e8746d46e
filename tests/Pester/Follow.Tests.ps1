# Following tasks live: Receive-ClaudeTask -Wait and Invoke-ClaudeCode -Follow write what each child says and does to
# the information stream as it happens, before the task ends. Each test proves it without timing: the child waits for
# a cue that the test gives only once it has seen the child's first words, so a task whose words came only at its end
# would never get the cue (the fake gives up after a minute and fails).

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Import-TestModule

    # Gives the cue (makes the file) once an information line like $Like has come; passes everything on.
    function Give-CueOn([string] $Like, [string] $Cue) {
        process {
            if ($_ -is [Management.Automation.InformationRecord] -and "$($_.MessageData)" -like $Like -and -not (Test-Path $Cue)) {
                New-Item -ItemType File -Path $Cue | Out-Null
            }
            $_
        }
    }
}

AfterAll {
    Remove-TestModule
}

Describe 'Following tasks live' {
    BeforeEach {
        $sandbox = Enter-TestSandbox 'follow'
        $cue = Join-Path $sandbox.Root 'cue'
        $owner = $null
    }

    AfterEach {
        if ($owner) { Stop-OtherPwsh $owner }
        Exit-TestSandbox $sandbox
    }

    It 'Receive-ClaudeTask -Wait writes the child''s words and tool calls as they come, then the result' {
        $task = Start-ClaudeTask "fake:text first words`nfake:tool Read {`"file_path`":`"/etc/hostname`"}`nfake:wait-for $cue`nfake:text second words"

        $seen = @($task | Receive-ClaudeTask -Wait 6>&1 | Give-CueOn '*first words*' $cue)

        $lines = @($seen | Where-Object { $_ -is [Management.Automation.InformationRecord] } | ForEach-Object { "$($_.MessageData)" })
        $result = $seen | Where-Object { $_ -isnot [Management.Automation.InformationRecord] }
        $result.State | Should -Be 'Completed'
        $result.Result | Should -Be 'second words'
        $lines | Should -Contain 'first words'
        $lines | Where-Object { $_ -like '→ Read *hostname*' } | Should -Not -BeNullOrEmpty
        $lines | Should -Contain 'second words'
        $seen[-1] | Should -Be $result   # the result object comes last
        ($seen | Where-Object { $_ -is [Management.Automation.InformationRecord] } | Select-Object -First 1).Tags | Should -Contain $task.TaskId
    }

    It 'Invoke-ClaudeCode -Follow prefixes each line with its task''s name, or its id, and still returns the results' {
        $rows = @(
            [pscustomobject]@{ Prompt = "fake:text alpha starts`nfake:wait-for $cue`nfake:text alpha ends"; Name = 'alpha' }
            [pscustomobject]@{ Prompt = 'fake:text beta speaks'; Name = 'beta' }
        )

        $seen = @($rows | Invoke-ClaudeCode -Follow 6>&1 | Give-CueOn '`[alpha`] alpha starts' $cue)
        $nameless = @('fake:text no name here' | Invoke-ClaudeCode -Follow 6>&1)

        $lines = @($seen | Where-Object { $_ -is [Management.Automation.InformationRecord] } | ForEach-Object { "$($_.MessageData)" })
        $results = @($seen | Where-Object { $_ -isnot [Management.Automation.InformationRecord] })
        $lines | Should -Contain '[alpha] alpha starts'
        $lines | Should -Contain '[alpha] alpha ends'
        $lines | Should -Contain '[beta] beta speaks'
        ($results | Sort-Object Name).Result | Should -Be @('alpha ends', 'beta speaks')
        $id = ($nameless | Where-Object { $_ -isnot [Management.Automation.InformationRecord] }).TaskId
        "$(($nameless | Where-Object { $_ -is [Management.Automation.InformationRecord] } | Select-Object -First 1).MessageData)" |
            Should -Be "[$id] no name here"
    }

    It 'shows the followed lines on the host by default, as Write-Host does' {
        $shown = Get-HostText { 'fake:text seen on the screen' | Invoke-ClaudeCode -Name shown -Follow }

        $shown | Should -BeLike '*`[shown`] seen on the screen*'
    }

    It 'Receive-ClaudeTask -Wait follows a task another process owns' {
        $owner = Start-OtherPwsh -StateDirectory $sandbox.State -Script (
            "Set-Location '$($sandbox.Work)'`nStart-ClaudeTask `"fake:text from elsewhere``nfake:wait-for $cue``nfake:text done there`" -Name elsewhere | Out-Null`n" +
            "[Console]::In.ReadLine() | Out-Null")
        Wait-Until { @(Get-ClaudeTask -Name elsewhere -State Running -ErrorAction Ignore).Count -eq 1 } 'the other session''s task to run'

        $seen = @(Get-ClaudeTask -Name elsewhere | Receive-ClaudeTask -Wait 6>&1 | Give-CueOn '*from elsewhere*' $cue)

        $lines = @($seen | Where-Object { $_ -is [Management.Automation.InformationRecord] } | ForEach-Object { "$($_.MessageData)" })
        $lines | Should -Contain 'from elsewhere'
        $lines | Should -Contain 'done there'
        ($seen | Where-Object { $_ -isnot [Management.Automation.InformationRecord] }).State | Should -Be 'Completed'
    }
}
